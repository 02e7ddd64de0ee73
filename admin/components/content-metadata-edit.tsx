// Record action "Languages, subtitles and tags" of a content: comma-separated ISO 639 codes and
// tags, saved by the contents service (validated with the API's schema, audited). The probe's
// fields (duration, resolution, codecs) are read from the file and not edited here.
import React, { useState } from 'react';
import { ApiClient, flat, useNotice, useTranslation, type ActionProps, type RecordJSON } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';

const api = new ApiClient();
/** `label`, `hint`: the locale files' keys. */
const FIELDS = [
  { key: 'audio_languages', label: 'metaAudioLanguages', hint: 'metaHintLanguages' },
  { key: 'subtitles', label: 'metaSubtitles', hint: 'metaHintSubtitles' },
  { key: 'tags', label: 'metaTags', hint: 'metaHintTags' },
] as const;

const joined = (record: RecordJSON | undefined, key: string) => {
  const v = record ? flat.get(record.params, `metadata.${key}`) : undefined;
  return Array.isArray(v) ? v.join(', ') : '';
};

const ContentMetadataEdit: React.FC<ActionProps> = ({ record, resource, action }) => {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(FIELDS.map((f) => [f.key, joined(record, f.key)])));
  const [errors, setErrors] = useState<Record<string, { message: string }>>({});
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const { tm, tb } = useTranslation();
  const navigate = useNavigate();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!record) return;
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: action.name, method: 'post', data: values });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; record?: RecordJSON; redirectUrl?: string };
      setErrors((body.record?.errors as Record<string, { message: string }>) ?? {});
      if (body.notice) notice(body.notice);
      if (body.redirectUrl) navigate(body.redirectUrl.replace(/^https?:\/\/[^/]+/, ''));
    } catch {
      notice({ message: tm('metaSaveFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid="content-metadata-edit">
      <Text mb="xl">{tm('metaEditIntro')}</Text>
      {FIELDS.map((f) => (
        <FormGroup key={f.key} error={!!errors[f.key]}>
          <Label htmlFor={`meta-${f.key}`}>{tm(f.label)}</Label>
          <Input id={`meta-${f.key}`} name={f.key} value={values[f.key]} placeholder={tm(f.hint)} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [f.key]: e.target.value })} />
          <FormMessage>{errors[f.key]?.message}</FormMessage>
        </FormGroup>
      ))}
      <Button variant="contained" type="submit" disabled={busy} data-testid="meta-save">
        {tb('save')}
      </Button>
    </Box>
  );
};

export default ContentMetadataEdit;
