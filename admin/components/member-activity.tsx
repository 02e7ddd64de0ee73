// On a member's show page (Member lookup): the subscription and the last payments (status and
// amount only — what support needs; `billing`), one timeline of payments, refunds, subscription
// events, coupons and payment methods linked to their records (finance; `timeline`), and their
// ratings, watch history, coupons and payments as lists, read through the resource's `activity`
// record action. The server leaves out every block the signed-in role may not read (role table),
// so this renders what it is given.
import React from 'react';
import { ViewHelpers, useTranslation, type BasePropertyProps } from 'adminjs';
import { Badge, Box, H5, Link, Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';
import { formatDateTime, formatMoney } from './format.js';
import { useRecordAction } from './record-action.js';

const h = new ViewHelpers();

type Row = Record<string, string | number | boolean | null>;
type TimelineItem = { at: string; kind: string; title: string; status: string | null; amount: number | null; currency: string | null; link: { resourceId: string; recordId: string } | null };
type Billing = {
  subscription: { status: string; plan: string; current_period_end: string | null; cancel_at_period_end: boolean; id?: number } | null;
  payments: Array<{ id?: number; kind: string; status: string; amount: number; refunded: number; currency: string; created_at: string | null }>;
};
type Lists = Partial<Record<'ratings' | 'history' | 'coupons' | 'payments', Row[]>>;
type Activity = Lists & { billing?: Billing; timeline?: TimelineItem[] };

type Texts = ReturnType<typeof useTranslation>;
/** A stored value (a status, a kind) as the locale files name it (labels.<property>.<value>), else as stored. */
const valueText = (t: Texts, property: string, value: string | null | undefined) => (value ? t.tl(`${property}.${value}`, undefined, { defaultValue: value }) : '');

const BillingBlock: React.FC<{ billing: Billing; t: Texts }> = ({ billing, t }) => {
  const { tm } = t;
  const sub = billing.subscription;
  return (
    <Box mb="xl" data-testid="member-billing">
      <H5>{tm('maSubscription')}</H5>
      <Box mb="lg" data-testid="member-subscription" data-status={sub?.status ?? 'none'}>
        {sub ? (
          <Text>
            <Badge variant={sub.status === 'active' ? 'success' : 'secondary'}>{valueText(t, 'status', sub.status)}</Badge> {sub.plan}
            {sub.current_period_end ? ` · ${tm(sub.cancel_at_period_end ? 'maEnds' : 'maRenews', undefined, { at: formatDateTime(sub.current_period_end) })}` : ''}
          </Text>
        ) : (
          <Text color="grey60">{tm('maNoSubscription')}</Text>
        )}
      </Box>
      <H5>{tm('maLastPayments')}</H5>
      {billing.payments.length === 0 ? (
        <Text color="grey60">{tm('none')}</Text>
      ) : (
        <Table data-testid="member-last-payments">
          <TableHead>
            <TableRow>
              <TableCell>{tm('maWhen')}</TableCell>
              <TableCell>{tm('maKind')}</TableCell>
              <TableCell>{tm('maStatus')}</TableCell>
              <TableCell>{tm('maAmount')}</TableCell>
              <TableCell>{tm('maRefunded')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {billing.payments.map((p, i) => (
              <TableRow key={i} data-status={p.status}>
                <TableCell>{formatDateTime(p.created_at)}</TableCell>
                <TableCell>{valueText(t, 'kind', p.kind)}</TableCell>
                <TableCell>{p.id ? <Link href={h.recordActionUrl({ resourceId: 'payments', recordId: String(p.id), actionName: 'show' })}>{valueText(t, 'status', p.status)}</Link> : valueText(t, 'status', p.status)}</TableCell>
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

const TimelineBlock: React.FC<{ items: TimelineItem[]; t: Texts }> = ({ items, t }) => (
  <Box mb="xl" data-testid="member-timeline">
    <H5>{t.tm('maTimeline', undefined, { count: items.length })}</H5>
    {items.length === 0 ? (
      <Text color="grey60">{t.tm('maNothingYet')}</Text>
    ) : (
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>{t.tm('maWhen')}</TableCell>
            <TableCell>{t.tm('maWhat')}</TableCell>
            <TableCell>{t.tm('maStatus')}</TableCell>
            <TableCell>{t.tm('maAmount')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((it, i) => (
            <TableRow key={i} data-kind={it.kind} data-testid={`timeline-${it.kind}`}>
              <TableCell>{formatDateTime(it.at)}</TableCell>
              <TableCell>{it.link ? <Link href={h.recordActionUrl({ resourceId: it.link.resourceId, recordId: it.link.recordId, actionName: 'show' })}>{it.title}</Link> : it.title}</TableCell>
              <TableCell>{valueText(t, 'status', it.status)}</TableCell>
              <TableCell>{it.amount !== null ? formatMoney(it.amount, it.currency ?? 'KRW') : ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </Box>
);

/** Each list, its title and its columns: [field, the locale files' key of its title]. */
const SECTIONS: Array<{ key: keyof Lists; title: string; columns: Array<[string, string]> }> = [
  { key: 'ratings', title: 'maRatings', columns: [['movie', 'maMovie'], ['score', 'maScore'], ['comment', 'maComment'], ['hidden', 'maHidden'], ['updated_at', 'maUpdated']] },
  { key: 'history', title: 'maHistory', columns: [['movie', 'maMovie'], ['content_id', 'maContent'], ['position', 'maPosition'], ['duration', 'maDuration'], ['updated_at', 'maLastReport']] },
  { key: 'coupons', title: 'maCoupons', columns: [['code', 'maCode'], ['name', 'maCoupon'], ['status', 'maStatus'], ['issued_at', 'maIssued'], ['used_at', 'maUsed']] },
  { key: 'payments', title: 'maPayments', columns: [['id', 'maPayment'], ['kind', 'maKind'], ['status', 'maStatus'], ['amount', 'maAmount'], ['refunded', 'maRefunded'], ['currency', 'maCurrency'], ['paid_at', 'maPaid']] },
];

/** A list cell: booleans as yes/no, statuses and kinds by their labels, the rest as stored. */
const cell = (t: Texts, field: string, v: Row[string]) =>
  v === null || v === undefined ? '—' : typeof v === 'boolean' ? t.tm(v ? 'yes' : 'no') : field === 'status' || field === 'kind' ? valueText(t, field, String(v)) : String(v);

const MemberActivity: React.FC<BasePropertyProps> = ({ record, property }) => {
  const t = useTranslation();
  const { translateProperty, tm } = t;
  const { data: activity, error } = useRecordAction({ record, property }, 'activity', (d) => (d.activity ?? {}) as Activity);

  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <Box data-testid="member-activity">
        {error && <Text color="error">{tm('maLoadFailed')}</Text>}
        {!error && activity === null && <Text color="grey60">{tm('loading')}</Text>}
        {activity && !activity.billing && !activity.timeline && !SECTIONS.some((s) => activity[s.key]) && <Text color="grey60">{tm('maNothingForRole')}</Text>}
        {activity?.billing && <BillingBlock billing={activity.billing} t={t} />}
        {activity?.timeline && <TimelineBlock items={activity.timeline} t={t} />}
        {activity &&
          SECTIONS.filter((s) => activity[s.key]).map((s) => (
            <Box key={s.key} mb="xl" data-testid={`member-${s.key}`}>
              <H5>
                {tm(s.title)} ({activity[s.key]!.length})
              </H5>
              {activity[s.key]!.length === 0 ? (
                <Text color="grey60">{tm('none')}</Text>
              ) : (
                <Table>
                  <TableHead>
                    <TableRow>
                      {s.columns.map(([, label]) => (
                        <TableCell key={label}>{tm(label)}</TableCell>
                      ))}
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {activity[s.key]!.map((row, i) => (
                      <TableRow key={i}>
                        {s.columns.map(([field]) => (
                          <TableCell key={field}>{cell(t, field, row[field])}</TableCell>
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
