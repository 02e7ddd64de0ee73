// "Retrain now" on Recommendation runs: one button that POSTs to the resource action, which queues
// the recommendations.train job through the recommendations service (one at a time, audited).
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';

const api = new ApiClient();

const RecRetrain: React.FC<ActionProps> = ({ resource, action }) => {
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState<string | null>(null);
  const notice = useNotice();
  const { tm } = useTranslation();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: action.name, method: 'post', data: {} });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; job_id?: string };
      if (body.notice) notice(body.notice);
      setQueued(body.job_id ?? null);
    } catch {
      notice({ message: tm('retrainFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid="rec-retrain">
      <Text mb="lg">{tm('retrainIntro')}</Text>
      {queued ? <Text mb="lg" data-testid="rec-retrain-queued">{tm('retrainQueued', undefined, { id: queued })}</Text> : null}
      <Button type="submit" variant="contained" disabled={busy}>{tm('retrainNow')}</Button>
    </Box>
  );
};

export default RecRetrain;
