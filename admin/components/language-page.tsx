// "언어 / Language": the signed-in staff member picks the panel's language; it is saved on the
// account (users.panel_language, POST /admin/api/pages/language) and the page reloads in it.
import React, { useEffect, useState } from 'react';
import { Box, Button, H2, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation } from 'adminjs';

const api = new ApiClient();
const CHOICES = [
  { value: 'ko', label: '한국어' },
  { value: 'en', label: 'English' },
];

const LanguagePage: React.FC = () => {
  const { translateMessage } = useTranslation();
  const [current, setCurrent] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  const [error, setError] = useState('');
  useEffect(() => {
    api.getPage({ pageName: 'language' }).then((r) => setCurrent((r.data as { language: string }).language));
  }, []);
  const choose = async (language: string) => {
    setState('saving');
    try {
      const r = await api.getPage({ pageName: 'language', method: 'post', data: { language } });
      const body = r.data as { language?: string; error?: string };
      if (body.error) throw new Error(body.error);
      setState('saved');
      window.location.reload();
    } catch (err) {
      setError((err as Error).message);
      setState('error');
    }
  };
  return (
    <Box variant="white" m="lg" p="xl" data-testid="language-page">
      <H2>{translateMessage('languageTitle')}</H2>
      <Text mb="lg">{translateMessage('languageIntro')}</Text>
      <Box flex flexDirection="row" style={{ gap: 8, flexWrap: 'wrap' }}>
        {CHOICES.map((c) => (
          <Button key={c.value} type="button" variant={current === c.value ? 'contained' : 'outlined'} disabled={state === 'saving'} data-testid={`language-${c.value}`} lang={c.value} onClick={() => choose(c.value)}>
            {c.label}
          </Button>
        ))}
      </Box>
      {state === 'saved' ? <MessageBox mt="lg" variant="success" message={translateMessage('languageSaved')} /> : null}
      {state === 'error' ? <MessageBox mt="lg" variant="danger" message={error} /> : null}
    </Box>
  );
};

export default LanguagePage;
