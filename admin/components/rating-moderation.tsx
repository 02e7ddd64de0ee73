// Record actions "Hide…" and "Show again" of the ratings moderation resource. Both POST (a state
// change never rides on a GET): "Hide…" with the reason the moderator writes, "Show again" after
// a confirming click.
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';

const api = new ApiClient();
const REASON_MAX = 300;

const RatingModeration: React.FC<ActionProps> = ({ action, record, resource }) => {
  const hiding = action.name === 'hide';
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const { tm } = useTranslation();
  const navigate = useNavigate();
  const comment = String(record?.params?.comment ?? '');

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!record) return;
    if (hiding && !reason.trim()) {
      setError(tm('ratingWhy'));
      return;
    }
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: action.name, method: 'post', data: hiding ? { reason } : {} });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string };
      if (body.notice) notice(body.notice);
      if (body.notice?.type !== 'error' && body.redirectUrl) navigate(body.redirectUrl.replace(/^https?:\/\/[^/]+/, ''));
    } catch {
      notice({ message: tm('ratingFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid={`rating-${action.name}`}>
      <Text mb="lg">
        {hiding ? tm('ratingHideIntro') : tm('ratingUnhideIntro', undefined, { reason: record?.params?.hiddenReason ?? '—' })}
      </Text>
      {comment ? (
        <Text mb="xl" color="grey60">
          “{comment.length > 500 ? `${comment.slice(0, 500)}…` : comment}”
        </Text>
      ) : null}
      {hiding ? (
        <FormGroup error={!!error}>
          <Label required htmlFor="hide-reason">
            {tm('reasonLabel')}
          </Label>
          <TextArea id="hide-reason" name="reason" width="100%" rows={3} maxLength={REASON_MAX} value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
          <FormMessage>{error}</FormMessage>
        </FormGroup>
      ) : null}
      <Button variant="contained" type="submit" disabled={busy}>
        {tm(hiding ? 'ratingHide' : 'ratingShow')}
      </Button>
    </Box>
  );
};

export default RatingModeration;
