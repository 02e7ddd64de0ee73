// "CSV 내보내기" on every list (admin/export.ts): AdminJS opens this in the drawer with the list's
// query string, so the link carries the list's current filters and sort. The file is UTF-8 with a
// BOM (Excel opens Korean text correctly), masked as this role sees the list, and audited.
import React from 'react';
import { useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';
import { useLocation } from 'react-router-dom';
import { panelRootPath } from './format.js';

const KEPT = /^(filters\.|sortBy$|direction$)/;

const CsvExport: React.FC<ActionProps> = ({ resource }) => {
  const location = useLocation();
  const { tm, tp, ta } = useTranslation();
  const params = new URLSearchParams(location.search);
  const kept = new URLSearchParams();
  params.forEach((v, k) => {
    if (KEPT.test(k) && v !== '') kept.append(k, v);
  });
  const root = panelRootPath();
  const href = `${root}/export/${encodeURIComponent(resource.id)}.csv${kept.toString() ? `?${kept}` : ''}`;
  const filters = [...kept.entries()].filter(([k]) => k.startsWith('filters.')).map(([k, v]) => `${tp(k.slice(8), resource.id)} = ${v}`);
  const sortBy = kept.get('sortBy');
  return (
    <Box variant="white" data-testid="csv-export">
      <Text mb="lg">
        {filters.length ? tm('csvRowsFiltered', undefined, { filters: filters.join(', ') }) : tm('csvRowsAll')}
        {sortBy ? ` ${tm('csvSorted', undefined, { sortBy: tp(sortBy, resource.id), direction: tm(kept.get('direction') === 'asc' ? 'csvAsc' : 'csvDesc') })}` : ''} {tm('csvAudited')}
      </Text>
      <Button as="a" variant="contained" href={href} download data-testid="csv-export-link">
        {ta('csvExport', resource.id)}
      </Button>
    </Box>
  );
};

export default CsvExport;
