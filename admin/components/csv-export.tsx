// "CSV 내보내기" on every list (admin/export.ts): AdminJS opens this in the drawer with the list's
// query string, so the link carries the list's current filters and sort. The file is UTF-8 with a
// BOM (Excel opens Korean text correctly), masked as this role sees the list, and audited.
import React from 'react';
import { type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';
import { useLocation } from 'react-router-dom';
import { panelRootPath } from './format.js';

const KEPT = /^(filters\.|sortBy$|direction$)/;

const CsvExport: React.FC<ActionProps> = ({ resource }) => {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const kept = new URLSearchParams();
  params.forEach((v, k) => {
    if (KEPT.test(k) && v !== '') kept.append(k, v);
  });
  const root = panelRootPath();
  const href = `${root}/export/${encodeURIComponent(resource.id)}.csv${kept.toString() ? `?${kept}` : ''}`;
  const filters = [...kept.entries()].filter(([k]) => k.startsWith('filters.'));
  return (
    <Box variant="white" data-testid="csv-export">
      <Text mb="lg">
        {filters.length ? `Exports the rows matching ${filters.map(([k, v]) => `${k.slice(8)} = ${v}`).join(', ')}` : 'Exports every row of the list'}
        {kept.get('sortBy') ? `, sorted by ${kept.get('sortBy')} (${kept.get('direction') ?? 'desc'})` : ''}. The export is recorded in the audit log.
      </Text>
      <Button as="a" variant="contained" href={href} download data-testid="csv-export-link">
        CSV 내보내기
      </Button>
    </Box>
  );
};

export default CsvExport;
