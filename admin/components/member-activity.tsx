// On a member's show page (Member lookup): the subscription and the last payments (status and
// amount only — what support needs; `billing`), one timeline of payments, refunds, subscription
// events, coupons and payment methods linked to their records (finance; `timeline`), and their
// ratings, watch history, coupons and payments as lists, read through the resource's `activity`
// record action. The server leaves out every block the signed-in role may not read (role table),
// so this renders what it is given.
import React, { useEffect, useState } from 'react';
import { ApiClient, ViewHelpers, useTranslation, type BasePropertyProps } from 'adminjs';
import { Badge, Box, H5, Link, Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';
import { formatDateTime, formatMoney } from './format.js';

const api = new ApiClient();
const h = new ViewHelpers();

type Row = Record<string, string | number | boolean | null>;
type TimelineItem = { at: string; kind: string; title: string; status: string | null; amount: number | null; currency: string | null; link: { resourceId: string; recordId: string } | null };
type Billing = {
  subscription: { status: string; plan: string; current_period_end: string | null; cancel_at_period_end: boolean; id?: number } | null;
  payments: Array<{ id?: number; kind: string; status: string; amount: number; refunded: number; currency: string; created_at: string | null }>;
};
type Lists = Partial<Record<'ratings' | 'history' | 'coupons' | 'payments', Row[]>>;
type Activity = Lists & { billing?: Billing; timeline?: TimelineItem[] };

const BillingBlock: React.FC<{ billing: Billing }> = ({ billing }) => {
  const sub = billing.subscription;
  return (
    <Box mb="xl" data-testid="member-billing">
      <H5>Subscription</H5>
      <Box mb="lg" data-testid="member-subscription" data-status={sub?.status ?? 'none'}>
        {sub ? (
          <Text>
            <Badge variant={sub.status === 'active' ? 'success' : 'secondary'}>{sub.status}</Badge> {sub.plan}
            {sub.current_period_end ? ` · ${sub.cancel_at_period_end ? 'ends' : 'renews'} ${formatDateTime(sub.current_period_end)}` : ''}
          </Text>
        ) : (
          <Text color="grey60">No subscription.</Text>
        )}
      </Box>
      <H5>Last payments</H5>
      {billing.payments.length === 0 ? (
        <Text color="grey60">None.</Text>
      ) : (
        <Table data-testid="member-last-payments">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Amount</TableCell>
              <TableCell>Refunded</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {billing.payments.map((p, i) => (
              <TableRow key={i} data-status={p.status}>
                <TableCell>{formatDateTime(p.created_at)}</TableCell>
                <TableCell>{p.kind}</TableCell>
                <TableCell>{p.id ? <Link href={h.recordActionUrl({ resourceId: 'payments', recordId: String(p.id), actionName: 'show' })}>{p.status}</Link> : p.status}</TableCell>
                <TableCell>{formatMoney(p.amount, p.currency)}</TableCell>
                <TableCell>{p.refunded ? formatMoney(p.refunded, p.currency) : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

const TimelineBlock: React.FC<{ items: TimelineItem[] }> = ({ items }) => (
  <Box mb="xl" data-testid="member-timeline">
    <H5>Timeline ({items.length})</H5>
    {items.length === 0 ? (
      <Text color="grey60">Nothing yet.</Text>
    ) : (
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>What</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Amount</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((it, i) => (
            <TableRow key={i} data-kind={it.kind} data-testid={`timeline-${it.kind}`}>
              <TableCell>{formatDateTime(it.at)}</TableCell>
              <TableCell>{it.link ? <Link href={h.recordActionUrl({ resourceId: it.link.resourceId, recordId: it.link.recordId, actionName: 'show' })}>{it.title}</Link> : it.title}</TableCell>
              <TableCell>{it.status ?? ''}</TableCell>
              <TableCell>{it.amount !== null ? formatMoney(it.amount, it.currency ?? 'KRW') : ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </Box>
);

const SECTIONS: Array<{ key: keyof Lists; title: string; columns: Array<[string, string]> }> = [
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
        {activity && !activity.billing && !activity.timeline && !SECTIONS.some((s) => activity[s.key]) && <Text color="grey60">Nothing your role may see.</Text>}
        {activity?.billing && <BillingBlock billing={activity.billing} />}
        {activity?.timeline && <TimelineBlock items={activity.timeline} />}
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
