// The "Two-factor authentication" page of the panel: the signed-in staff member's second factor
// (on since when, recovery codes left) and the way to set it up (/admin/two-factor, a page of
// its own with the QR code).
import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
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
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    api.getPage({ pageName: 'twoFactor' }).then((res) => setStatus(res.data as Status));
  }, []);
  if (!status) return <Box variant="white">Loading…</Box>;
  return (
    <Box variant="white" data-testid="two-factor-page">
      <H3>Two-factor authentication</H3>
      {status.enabled ? (
        <Text data-testid="two-factor-state">
          On since {status.enabledAt ? new Date(status.enabledAt).toLocaleString() : ''}. {status.recoveryCodesLeft} of 10 recovery codes left. An admin can reset it (Users → your account → Reset second factor).
        </Text>
      ) : (
        <>
          <Text mb="lg" data-testid="two-factor-state">
            Off. {status.required ? 'Your role requires it: set it up now.' : 'Optional for your role; it protects your account if your password leaks.'}
          </Text>
          <Link href={status.setupUrl} data-testid="two-factor-setup">Set up with an authenticator app</Link>
        </>
      )}
    </Box>
  );
};

export default TwoFactor;
