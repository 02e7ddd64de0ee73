// Resource action "Import CSV" of showtimes: a CSV file is posted to the action; the cinemas
// service validates every row and answers how many were inserted and which were skipped, and why.
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { withElements } from './format.js';

const api = new ApiClient();

interface Report {
  inserted: number;
  skipped: Array<{ line: number; reasons: string[] }>;
}

const ShowtimeImport: React.FC<ActionProps> = ({ resource }) => {
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, { message: string }>>({});
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const { tm } = useTranslation();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) {
      setErrors({ file: { message: tm('importChooseFile') } });
      return;
    }
    const data = new FormData();
    data.append('file', file);
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: 'importCsv', method: 'post', data });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; errors?: Record<string, { message: string }>; importReport?: Report };
      setErrors(body.errors ?? {});
      setReport(body.importReport ?? null);
      if (body.notice) notice(body.notice);
    } catch {
      notice({ message: tm('importFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="white" data-testid="showtime-import">
      <Box as="form" onSubmit={submit}>
        <Text mb="lg">{React.Children.toArray(withElements(tm, 'importIntro', {}, { header: <code>cinema_id,movie_id,date,start_time,end_time,info,total_seats,seats,url</code> }))}</Text>
        <FormGroup error={!!errors.file}>
          <Label required htmlFor="showtime-csv">
            {tm('importFile')}
          </Label>
          <input id="showtime-csv" type="file" name="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <FormMessage>{errors.file?.message}</FormMessage>
        </FormGroup>
        <Button variant="contained" type="submit" disabled={busy || !file}>
          {busy ? tm('importBusy') : tm('importSubmit')}
        </Button>
      </Box>
      {report && (
        <Box mt="xl" data-testid="showtime-import-report">
          <Text mb="md">
            {tm('importReport', undefined, { inserted: report.inserted, skipped: report.skipped.length })}
          </Text>
          {report.skipped.length > 0 && (
            <Table>
              <TableHead>
                <TableRow>
                  <TableCell>{tm('importLine')}</TableCell>
                  <TableCell>{tm('importWhy')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.skipped.map((s) => (
                  <TableRow key={s.line}>
                    <TableCell>{s.line}</TableCell>
                    <TableCell>{s.reasons.join('; ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      )}
    </Box>
  );
};

export default ShowtimeImport;
