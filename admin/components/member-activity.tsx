// On a member's show page (Member lookup): their ratings, watch history, coupons and payments as
// lists, read through the resource's `activity` record action. The server leaves out every list the
// signed-in role may not read (role table), so this renders what it is given.
import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, H5, Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';

const api = new ApiClient();

type Row = Record<string, string | number | boolean | null>;
type Activity = Partial<Record<'ratings' | 'history' | 'coupons' | 'payments', Row[]>>;

const SECTIONS: Array<{ key: keyof Activity; title: string; columns: Array<[string, string]> }> = [
  { key: 'ratings', title: 'Ratings', columns: [['movie', 'Movie'], ['score', 'Score'], ['comment', 'Comment'], ['hidden', 'Hidden'], ['updated_at', 'Updated']] },
  { key: 'history', title: 'Watch history', columns: [['movie', 'Movie'], ['content_id', 'Content'], ['position', 'Position (s)'], ['duration', 'Duration (s)'], ['updated_at', 'Last report']] },
  { key: 'coupons', title: 'Coupons', columns: [['code', 'Code'], ['name', 'Coupon'], ['status', 'Status'], ['issued_at', 'Issued'], ['used_at', 'Used']] },
  { key: 'payments', title: 'Payments', columns: [['id', 'Payment'], ['kind', 'Kind'], ['status', 'Status'], ['amount', 'Amount'], ['refunded', 'Refunded'], ['currency', 'Currency'], ['paid_at', 'Paid']] },
];

const text = (v: Row[string]) => (v === null || v === undefined ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

const MemberActivity: React.FC<BasePropertyProps> = ({ record, property }) => {
  const { translateProperty } = useTranslation();
  const [activity, setActivity] = useState<Activity | null>(null);
  const [error, setError] = useState(false);
  const recordId = record?.id;

  useEffect(() => {
    if (!recordId) return;
    let live = true;
    api
      .recordAction({ resourceId: property.resourceId, recordId, actionName: 'activity' })
      .then((res) => live && setActivity(((res.data as { activity?: Activity }).activity ?? {}) as Activity))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [recordId, property.resourceId]);

  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <Box data-testid="member-activity">
        {error && <Text color="error">Could not load the member’s activity.</Text>}
        {!error && activity === null && <Text color="grey60">Loading…</Text>}
        {activity && !SECTIONS.some((s) => activity[s.key]) && <Text color="grey60">Nothing your role may see.</Text>}
        {activity &&
          SECTIONS.filter((s) => activity[s.key]).map((s) => (
            <Box key={s.key} mb="xl" data-testid={`member-${s.key}`}>
              <H5>
                {s.title} ({activity[s.key]!.length})
              </H5>
              {activity[s.key]!.length === 0 ? (
                <Text color="grey60">None.</Text>
              ) : (
                <Table>
                  <TableHead>
                    <TableRow>
                      {s.columns.map(([, label]) => (
                        <TableCell key={label}>{label}</TableCell>
                      ))}
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {activity[s.key]!.map((row, i) => (
                      <TableRow key={i}>
                        {s.columns.map(([field]) => (
                          <TableCell key={field}>{text(row[field])}</TableCell>
                        ))}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </Box>
          ))}
      </Box>
    </ValueGroup>
  );
};

export default MemberActivity;
