// Record action "Set password": the only way to change a password from the panel.
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, Input, Label, Text } from '@adminjs/design-system';

const api = new ApiClient();

const SetPassword: React.FC<ActionProps> = ({ record, resource }) => {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const { tm } = useTranslation();
  const tooShort = password.length > 0 && password.length < 8;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!record || password.length < 8) return;
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: 'setPassword', data: { password } });
      if (res.data.notice) notice(res.data.notice);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit}>
      <Text mb="lg">{tm('pwIntro', undefined, { name: record?.params?.username ?? '' })}</Text>
      <FormGroup error={tooShort ? tm('pwTooShort') : undefined}>
        <Label required>{tm('pwNew')}</Label>
        <Input type="password" name="password" autoComplete="new-password" value={password} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setPassword(e.target.value)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || password.length < 8}>
        {tm('pwSubmit')}
      </Button>
    </Box>
  );
};

export default SetPassword;
