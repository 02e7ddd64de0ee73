// Resource action "Import CSV" of showtimes: a CSV file is posted to the action; the cinemas
// service validates every row and answers how many were inserted and which were skipped, and why.
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

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

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) {
      setErrors({ file: { message: 'Choose a CSV file.' } });
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
      notice({ message: 'The import failed.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="white" data-testid="showtime-import">
      <Box as="form" onSubmit={submit}>
        <Text mb="lg">
          A CSV file with the header <code>cinema_id,movie_id,date,start_time,end_time,info,total_seats,seats,url</code> (the first four are required; dates
          YYYY-MM-DD, times HH:MM, local to the cinema). Every row is checked; rows with errors and rows that repeat an existing showtime are skipped, the
          others are added together.
        </Text>
        <FormGroup error={!!errors.file}>
          <Label required htmlFor="showtime-csv">
            CSV file
          </Label>
          <input id="showtime-csv" type="file" name="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <FormMessage>{errors.file?.message}</FormMessage>
        </FormGroup>
        <Button variant="contained" type="submit" disabled={busy || !file}>
          {busy ? 'Importing…' : 'Import'}
        </Button>
      </Box>
      {report && (
        <Box mt="xl" data-testid="showtime-import-report">
          <Text mb="md">
            Inserted {report.inserted} showtime(s); skipped {report.skipped.length} row(s).
          </Text>
          {report.skipped.length > 0 && (
            <Table>
              <TableHead>
                <TableRow>
                  <TableCell>Line</TableCell>
                  <TableCell>Why it was skipped</TableCell>
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
