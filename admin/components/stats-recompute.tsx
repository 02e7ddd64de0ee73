// "Recompute days…" on Statistics days: a from/to form that POSTs to the resource action, which
// queues the statistics.recompute job through the statistics service (range checked, audited).
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, Text } from '@adminjs/design-system';
import { dayInZone, zoneLabel } from './format.js';

const api = new ApiClient();
/** Yesterday in the service's zone (the days the snapshots are). */
const yesterday = () => dayInZone(Date.now() - 86_400_000);

const StatsRecompute: React.FC<ActionProps> = ({ resource, action }) => {
  const [from, setFrom] = useState(yesterday());
  const [to, setTo] = useState(yesterday());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const { tm } = useTranslation();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: { from, to } });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' } };
      if (body.notice) notice(body.notice);
      setError(body.notice?.type === 'error' ? body.notice.message : null);
    } catch {
      notice({ message: tm('recomputeFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid="stats-recompute">
      <Text mb="lg">{tm('recomputeIntro')}</Text>
      <FormGroup>
        <Label required htmlFor="recompute-from">{tm('recomputeFrom', undefined, { zone: zoneLabel() })}</Label>
        <Input id="recompute-from" type="date" value={from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFrom(e.target.value)} />
      </FormGroup>
      <FormGroup>
        <Label required htmlFor="recompute-to">{tm('recomputeTo', undefined, { zone: zoneLabel() })}</Label>
        <Input id="recompute-to" type="date" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
      </FormGroup>
      {error ? <FormMessage>{error}</FormMessage> : null}
      <Button type="submit" variant="contained" disabled={busy}>{tm('recomputeSubmit')}</Button>
    </Box>
  );
};

export default StatsRecompute;
