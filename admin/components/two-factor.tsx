// The "Two-factor authentication" page of the panel: the signed-in staff member's second factor
// (on since when, recovery codes left) and the way to set it up (/admin/two-factor, a page of
// its own with the QR code).
import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation } from 'adminjs';
import { Box, H3, Link, Text } from '@adminjs/design-system';

const api = new ApiClient();

interface Status {
  enabled: boolean;
  enabledAt: string | null;
  required: boolean;
  recoveryCodesLeft: number;
  setupUrl: string;
}

const TwoFactor: React.FC = () => {
  const { tm } = useTranslation();
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    api.getPage({ pageName: 'twoFactor' }).then((res) => setStatus(res.data as Status));
  }, []);
  if (!status) return <Box variant="white">{tm('loading')}</Box>;
  return (
    <Box variant="white" data-testid="two-factor-page">
      <H3>{tm('tfaTitle')}</H3>
      {status.enabled ? (
        <Text data-testid="two-factor-state">
          {tm('tfaOn', undefined, { since: status.enabledAt ? new Date(status.enabledAt).toLocaleString() : '', left: status.recoveryCodesLeft })}
        </Text>
      ) : (
        <>
          <Text mb="lg" data-testid="two-factor-state">
            {tm('tfaOff')} {tm(status.required ? 'tfaRequired' : 'tfaOptional')}
          </Text>
          <Link href={status.setupUrl} data-testid="two-factor-setup">{tm('tfaSetup')}</Link>
        </>
      )}
    </Box>
  );
};

export default TwoFactor;
