// "작업 모니터": the jobs, in the panel's navigation. With Redis the BullMQ queue monitor
// (bull-board at /admin/queues) is linked; in embedded mode (no Redis) the in-process jobs are
// listed here: state, last run, failures, and a retry button for a failed one.
import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H2, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation } from 'adminjs';
import { formatDateTime } from './format.js';

const api = new ApiClient();

interface JobRow {
  id: string;
  name: string;
  state: 'waiting' | 'active' | 'completed' | 'failed';
  attempts: number;
  failures: number;
  lastRunAt: string | null;
  createdAt: string;
  error: string | null;
}
type JobsData = { mode: 'bullmq'; monitorUrl: string } | { mode: 'in-process'; jobs: JobRow[] } | { error: string };

const JobsPage: React.FC = () => {
  const { translateMessage } = useTranslation();
  const [data, setData] = useState<JobsData | null>(null);
  const [notice, setNotice] = useState('');
  const load = useCallback(() => api.getPage({ pageName: 'jobs' }).then((r) => setData(r.data as JobsData)), []);
  useEffect(() => {
    load();
  }, [load]);
  const retry = async (id: string) => {
    const r = await api.getPage({ pageName: 'jobs', method: 'post', data: { retry: id } });
    const body = r.data as { retried?: string; error?: string };
    setNotice(body.error ?? translateMessage('jobsRetried', undefined, { id }));
    await load();
  };
  return (
    <Box variant="white" m="lg" p="xl" data-testid="jobs-page">
      <H2>{translateMessage('jobsTitle')}</H2>
      {data === null ? null : 'error' in data ? (
        <MessageBox variant="danger" message={data.error} />
      ) : data.mode === 'bullmq' ? (
        <Box data-testid="jobs-bullmq">
          <Text mb="lg">{translateMessage('jobsBullmq')}</Text>
          <Button as="a" href={data.monitorUrl} variant="contained" data-testid="jobs-open-monitor">
            {translateMessage('jobsOpenMonitor')}
          </Button>
        </Box>
      ) : (
        <Box data-testid="jobs-in-process">
          <Text mb="lg">{translateMessage('jobsInProcess')}</Text>
          {notice ? <MessageBox mb="lg" variant="info" message={notice} /> : null}
          {data.jobs.length === 0 ? (
            <Text data-testid="jobs-none">{translateMessage('jobsNone')}</Text>
          ) : (
            <Box style={{ overflowX: 'auto' }}>
              <Table>
                <TableHead>
                  <TableRow>
                    <TableCell>{translateMessage('jobsColName')}</TableCell>
                    <TableCell>{translateMessage('jobsColState')}</TableCell>
                    <TableCell>{translateMessage('jobsColLastRun')}</TableCell>
                    <TableCell>{translateMessage('jobsColAttempts')}</TableCell>
                    <TableCell>{translateMessage('jobsColFailures')}</TableCell>
                    <TableCell>{translateMessage('jobsColError')}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.jobs.map((j) => (
                    <TableRow key={j.id} data-testid="job-row" data-job-id={j.id} data-state={j.state}>
                      <TableCell>
                        {j.name} <Text as="span" color="grey60">#{j.id}</Text>
                      </TableCell>
                      <TableCell>{translateMessage(`jobsState_${j.state}`)}</TableCell>
                      <TableCell>{formatDateTime(j.lastRunAt ?? j.createdAt)}</TableCell>
                      <TableCell>{j.attempts}</TableCell>
                      <TableCell data-testid="job-failures">{j.failures}</TableCell>
                      <TableCell style={{ maxWidth: 280, overflowWrap: 'anywhere' }}>{j.error ?? ''}</TableCell>
                      <TableCell>
                        {j.state === 'failed' ? (
                          <Button size="sm" variant="outlined" data-testid="job-retry" onClick={() => retry(j.id)}>
                            {translateMessage('jobsRetry')}
                          </Button>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
};

export default JobsPage;
