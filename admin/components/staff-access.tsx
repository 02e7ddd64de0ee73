// Record actions "End sessions" and "Reset second factor" on a staff account: a description and
// one button that POSTs to the action (AdminJS would call a component-less action with GET).
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';

const api = new ApiClient();

/** The locale files' keys of each action's description ({{name}}: the account) and button. */
const TEXT: Record<string, { what: string; button: string }> = {
  endSessions: { what: 'staffEndSessionsIntro', button: 'staffEndSessions' },
  resetSecondFactor: { what: 'staffResetIntro', button: 'staffReset' },
};

const StaffAccess: React.FC<ActionProps> = ({ record, resource, action }) => {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const notice = useNotice();
  const { tm, ta } = useTranslation();
  const name = String(record?.params?.email ?? record?.params?.username ?? tm('staffThisAccount'));
  const keys = TEXT[action.name];
  const text = keys ? { what: tm(keys.what, undefined, { name }), button: tm(keys.button) } : { what: ta(action.name, resource.id), button: ta(action.name, resource.id) };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!record) return;
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: action.name, method: 'post', data: {} });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' } };
      if (body.notice) {
        notice(body.notice);
        setDone(body.notice.message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid={`staff-access-${action.name}`}>
      <Text mb="lg">{text.what}</Text>
      {done ? <Text mb="lg" data-testid="staff-access-done">{done}</Text> : null}
      <Button variant="contained" type="submit" disabled={busy}>{text.button}</Button>
    </Box>
  );
};

export default StaffAccess;
