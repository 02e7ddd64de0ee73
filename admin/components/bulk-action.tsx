// Bulk actions (admin/bulk.ts): the selected rows, a reason (or value) when the action asks for
// one, one POST; then each row's outcome — done or refused with the service's reason — since a
// row the service refuses does not stop the others.
import React, { useState } from 'react';
import { ApiClient, ViewHelpers, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Label, Link, Select, Table, TableBody, TableCell, TableHead, TableRow, Text, TextArea } from '@adminjs/design-system';

const api = new ApiClient();
const h = new ViewHelpers();

type Result = { id: string; ok: boolean; message: string };
/** `input.property`: the property it sets (its label is the locale files'). */
type Custom = { needsReason?: boolean; input?: { name: string; property: string; options?: string[] } | null };

const BulkAction: React.FC<ActionProps> = ({ action, records, resource }) => {
  const custom = (action.custom ?? {}) as Custom;
  const [reason, setReason] = useState('');
  const [value, setValue] = useState('');
  const [results, setResults] = useState<Result[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const { tm, tp } = useTranslation();
  const inputLabel = custom.input ? tp(custom.input.property, resource.id) : '';
  const rows = records ?? [];
  const title = (r: (typeof rows)[number]) => String(r.title || r.id);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (custom.needsReason && !reason.trim()) return setError(tm('writeReason'));
    if (custom.input && !value.trim()) return setError(tm('bulkChoose', undefined, { label: inputLabel }));
    setError(null);
    setBusy(true);
    try {
      const res = await api.bulkAction({ resourceId: resource.id, recordIds: rows.map((r) => String(r.id)), actionName: action.name, method: 'post', data: { reason, value } });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' | 'info' }; results?: Result[] };
      if (body.notice) notice(body.notice as { message: string; type: 'success' | 'error' });
      if (body.results) setResults(body.results);
      else if (body.notice?.type === 'error') setError(body.notice.message);
    } catch {
      notice({ message: tm('actionFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const outcome = new Map((results ?? []).map((r) => [r.id, r]));
  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid={`bulk-${action.name}`}>
      <Text mb="lg">{tm('bulkIntro', undefined, { count: rows.length })}</Text>
      <Table mb="xl" data-testid="bulk-results">
        <TableHead>
          <TableRow>
            <TableCell>{tm('bulkColRecord')}</TableCell>
            <TableCell>{tm('bulkColOutcome')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => {
            const o = outcome.get(String(r.id));
            return (
              <TableRow key={r.id} data-testid={`bulk-row-${r.id}`} data-outcome={o ? (o.ok ? 'done' : 'refused') : 'pending'}>
                <TableCell>
                  <Link href={h.recordActionUrl({ resourceId: resource.id, recordId: String(r.id), actionName: 'show' })}>
                    #{r.id} {title(r)}
                  </Link>
                </TableCell>
                <TableCell>{o ? `${o.ok ? '✓' : '✗'} ${o.message}` : '—'}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {!results && custom.input ? (
        <FormGroup>
          <Label required htmlFor="bulk-value">
            {inputLabel}
          </Label>
          {custom.input.options ? (
            <Select inputId="bulk-value" value={value ? { value, label: value } : null} options={custom.input.options.map((o) => ({ value: o, label: o }))} onChange={(o: { value: string } | null) => setValue(o?.value ?? '')} />
          ) : null}
        </FormGroup>
      ) : null}
      {!results && custom.needsReason ? (
        <FormGroup>
          <Label required htmlFor="bulk-reason">
            {tm('reasonLabel')}
          </Label>
          <TextArea id="bulk-reason" name="reason" width="100%" rows={3} maxLength={500} value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
        </FormGroup>
      ) : null}
      <FormGroup error={!!error}>
        <FormMessage>{error}</FormMessage>
      </FormGroup>
      {!results ? (
        <Button variant="contained" type="submit" disabled={busy || !rows.length} data-testid="bulk-submit">
          {tm('bulkRun', undefined, { count: rows.length })}
        </Button>
      ) : (
        <Button as="a" href={h.resourceUrl({ resourceId: resource.id })} data-testid="bulk-back">
          {tm('bulkBack')}
        </Button>
      )}
    </Box>
  );
};

export default BulkAction;
