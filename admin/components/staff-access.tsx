// Record actions "End sessions" and "Reset second factor" on a staff account: a description and
// one button that POSTs to the action (AdminJS would call a component-less action with GET).
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, Text } from '@adminjs/design-system';

const api = new ApiClient();

const TEXT: Record<string, { what: (name: string) => string; button: string }> = {
  endSessions: {
    what: (name) => `Ends every panel session of ${name} at once (on every device) and the API tokens issued to them so far. They can log in again.`,
    button: 'End sessions',
  },
  resetSecondFactor: {
    what: (name) => `Removes the authenticator and the recovery codes of ${name} (a lost phone) and ends their sessions. If their role requires a second factor, they set up a new one at their next login.`,
    button: 'Reset second factor',
  },
};

const StaffAccess: React.FC<ActionProps> = ({ record, resource, action }) => {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const notice = useNotice();
  const text = TEXT[action.name] ?? { what: () => action.label, button: action.label };
  const name = String(record?.params?.email ?? record?.params?.username ?? 'this account');

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
      <Text mb="lg">{text.what(name)}</Text>
      {done ? <Text mb="lg" data-testid="staff-access-done">{done}</Text> : null}
      <Button variant="contained" type="submit" disabled={busy}>{text.button}</Button>
    </Box>
  );
};

export default StaffAccess;
