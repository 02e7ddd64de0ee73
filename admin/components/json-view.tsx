// Read-only, formatted JSON of a property: content metadata (stored as JSON, flattened by AdminJS
// into `metadata.*` params) and audit-log diffs (stored as JSON text, shown as a field/before/after table).
import React from 'react';
import { flat, useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';

function valueOf(params: Parameters<typeof flat.get>[0], path: string): unknown {
  const v = flat.get(params, path);
  if (typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

type Diff = Record<string, [unknown, unknown]>;
/** An audit diff: {"field": [before, after]}. */
const isDiff = (v: unknown): v is Diff =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => Array.isArray(x) && x.length === 2);
const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

const JsonView: React.FC<BasePropertyProps> = ({ record, property, where }) => {
  const { translateProperty, tm } = useTranslation();
  const value = valueOf(record?.params, property.path);
  const empty = value === undefined || value === null || (typeof value === 'object' && !Object.keys(value as object).length);
  const text = empty ? '' : JSON.stringify(value, null, 2);
  if (where === 'list') return <Text>{empty ? '—' : text.length > 80 ? `${text.slice(0, 80)}…` : text}</Text>;
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {empty ? (
        <Text color="grey60">—</Text>
      ) : isDiff(value) ? (
        <Table data-testid={`json-${property.path}`} data-json={text}>
          <TableHead>
            <TableRow>
              <TableCell>{tm('jsonField')}</TableCell>
              <TableCell>{tm('jsonBefore')}</TableCell>
              <TableCell>{tm('jsonAfter')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {Object.entries(value).map(([field, [before, after]]) => (
              <TableRow key={field}>
                <TableCell style={{ fontFamily: 'monospace' }}>{field}</TableCell>
                <TableCell style={{ wordBreak: 'break-word' }}>{cell(before)}</TableCell>
                <TableCell style={{ wordBreak: 'break-word' }}>{cell(after)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Box
          as="pre"
          data-testid={`json-${property.path}`}
          p="lg"
          bg="grey20"
          style={{ fontFamily: 'monospace', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word', borderRadius: 4, maxHeight: 420, overflow: 'auto' }}
        >
          {text}
        </Box>
      )}
    </ValueGroup>
  );
};

export default JsonView;
