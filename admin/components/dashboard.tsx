// The admin dashboard (chart.js). Data comes from the dashboard handler in admin/index.ts, which
// reads the statistics snapshot tables through the statistics service; the blocks shown follow
// the role table (finance: KPI cards, revenue, subscriptions, pending refunds; catalog staff: views
// and catalog figures; every staff role: sign-ups). Days are calendar days of the service's zone
// (KST by default); today is read live and marked partial. The range lives in the URL (?from&to),
// so a reload or a shared link shows the same days. "Recompute these days" queues the
// statistics.recompute job, and the dashboard polls until the snapshots are newer than the request.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice, useTranslation } from 'adminjs';
import { Box, Button, H2, H5, Input, Label, Text } from '@adminjs/design-system';
import { useSearchParams } from 'react-router-dom';
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { formatDateTime, formatMoney, withElements, zoneLabel } from './format.js';

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

type Totals = { payments: number; gross: number; refunds: number; refunded: number; net: number };
type KpiSet = {
  from: string;
  to: string;
  active_subscribers: number | null;
  money: Array<{ currency: string; mrr: number; gross: number; refunded: number; net: number; refund_rate: number | null; arpu: number | null }>;
};
type Overview = {
  from: string;
  to: string;
  sections: string[];
  time_zone: string;
  today: string;
  partial_day: string | null;
  computed_days: number;
  days: number;
  last_computed_at: string | null;
  kpis?: { current: KpiSet; previous: KpiSet };
  signups?: { total: number; days: Array<{ day: string; signups: number | null }> };
  revenue?: Array<{ currency: string; totals: Totals; days: Array<{ day: string; gross: number | null; refunded: number | null; net: number | null }>; by_method: Array<{ method_type: string } & Totals>; by_product: Array<{ product: string } & Totals> }>;
  subscriptions?: { by_plan: Array<{ plan: string; new: number; cancel_requests: number; ended: number; active: number }>; days: Array<{ day: string; new: number | null; ended: number | null; active: number | null }> };
  refunds?: { pending: Array<{ currency: string; count: number; amount: number }> };
  contents?: { totals: { views: number; watch_seconds: number }; days: Array<{ day: string; views: number | null; watch_seconds: number | null }>; top: Array<{ content_id: number; title: string | null; views: number; watch_seconds: number }> };
  catalog?: { movies: number; genres: number; people: number; manufacturers: number; contents: Record<string, number>; cinemas: number; showtimes_bookable: number };
};
type DashboardData = { role: string | null; canRecompute: boolean; recomputeResource: string; overview?: Overview; error?: { field: string; message: string } };

const api = new ApiClient();
const COLORS = ['#3040D6', '#C20012', '#0C8A4F', '#E58E00', '#7C3AED', '#0891B2'];
const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
/** How often, and how long, the dashboard asks whether a recompute it queued is done. */
const POLL_MS = 2000;
const POLL_LIMIT_MS = 10 * 60_000;

/**
 * One chart.js chart in a box of a fixed height (the canvas fills it at every width, so a phone
 * gets a readable chart, not a sliver); the values it draws are also on the canvas as data-points.
 */
const ChartCanvas: React.FC<{ testId: string; config: ChartConfiguration; points: unknown; height?: number }> = ({ testId, config, points, height = 240 }) => {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    // The wrapper gives the height (at least 200 px, also on a phone: admin/brand/panel.css).
    const chart = new Chart(canvas.current, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options ?? {}) } });
    return () => chart.destroy();
  }, [JSON.stringify(points), JSON.stringify(config.data.labels)]);
  return (
    <div className="marquee-chart" style={{ position: 'relative', height: Math.max(200, height), width: '100%' }}>
      <canvas ref={canvas} data-testid={testId} data-points={JSON.stringify(points)} />
    </div>
  );
};

const Block: React.FC<{ title: React.ReactNode; testId: string; children: React.ReactNode }> = ({ title, testId, children }) => (
  <Box variant="white" mb="xl" data-testid={testId}>
    <H5>{title}</H5>
    {children}
  </Box>
);

/** A KPI card: this period's value and, beside it, the previous period's. */
const Kpi: React.FC<{ testId: string; label: string; value: string; previous: string }> = ({ testId, label, value, previous }) => (
  <Box data-testid={testId} data-css="kpi-card" p="lg" mr="lg" mb="lg" style={{ border: '1px solid #e4e6ef', borderRadius: 6, minWidth: 160, flex: '1 1 160px', background: '#fff' }}>
    <Text color="grey60" style={{ fontSize: 12 }}>{label}</Text>
    <Text data-testid={`${testId}-value`} style={{ fontSize: 22, fontWeight: 600 }}>{value}</Text>
    <Text data-testid={`${testId}-previous`} color="grey60" style={{ fontSize: 12 }}>↔ {previous}</Text>
  </Box>
);

/** No overshoot between days: straight segments bent only where the data bends (monotone cubic), never below zero. */
const LINE = { cubicInterpolationMode: 'monotone' as const, tension: 0, spanGaps: false };

const Dashboard: React.FC = () => {
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<DashboardData | null>(null);
  const [failed, setFailed] = useState(false);
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');
  const [busy, setBusy] = useState(false);
  /** A recompute this dashboard queued: when it was asked for (the snapshots must be newer). */
  const [waiting, setWaiting] = useState<{ since: number; until: number } | null>(null);
  const notice = useNotice();
  const { tm, tl } = useTranslation();
  const hours = (s: number) => tm('dashHours', undefined, { hours: (s / 3600).toFixed(1) });
  const urlFrom = params.get('from') ?? '';
  const urlTo = params.get('to') ?? '';

  const load = useCallback(async (range: { from?: string; to?: string }): Promise<DashboardData | null> => {
    try {
      const res = await api.getDashboard({ params: Object.fromEntries(Object.entries(range).filter(([, v]) => v)) });
      const d = res.data as DashboardData;
      setData(d);
      setFailed(false);
      if (d.overview) {
        setFrom(d.overview.from);
        setTo(d.overview.to);
      }
      return d;
    } catch {
      setFailed(true);
      return null;
    }
  }, []);
  // The URL is the range: a reload, the back button or a shared link shows the same days.
  useEffect(() => {
    void load({ from: urlFrom, to: urlTo });
  }, [load, urlFrom, urlTo]);

  // After a recompute: ask every few seconds until the range's newest snapshot is newer than the request.
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setInterval(async () => {
      const d = await load({ from: urlFrom, to: urlTo });
      const at = d?.overview?.last_computed_at ? Date.parse(d.overview.last_computed_at) : 0;
      if (at >= waiting.since) {
        setWaiting(null);
        notice({ message: tm('dashRecomputed'), type: 'success' });
      } else if (Date.now() > waiting.until) setWaiting(null);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, load, urlFrom, urlTo]);

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(params);
    if (from) next.set('from', from);
    else next.delete('from');
    if (to) next.set('to', to);
    else next.delete('to');
    if (next.toString() === params.toString()) void load({ from, to });
    else setParams(next);
  };

  const recompute = async () => {
    if (!data) return;
    setBusy(true);
    // The server's clock stamps the snapshots; two seconds of slack (a browser clock that runs ahead, DATETIME columns without milliseconds).
    const since = Date.now() - 2000;
    try {
      const res = await api.resourceAction({ resourceId: data.recomputeResource, actionName: 'recompute', method: 'post', data: { from, to } });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; job_id?: string };
      if (body.notice) notice(body.notice);
      if (body.job_id) setWaiting({ since, until: Date.now() + POLL_LIMIT_MS });
    } catch {
      notice({ message: tm('recomputeFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const o = data?.overview;
  const partial = o?.partial_day ?? null;
  const seriesDays = o ? (o.signups?.days ?? o.revenue?.[0]?.days ?? o.contents?.days ?? []).map((d) => d.day) : [];
  const labels = seriesDays.map((d) => (d === partial ? tm('dashTodayPartial', undefined, { day: d.slice(5) }) : d.slice(5)));
  const zone = o ? zoneLabel(o.time_zone) : '';
  const cur = o?.kpis?.current;
  const prev = o?.kpis?.previous;
  const prevMoney = (currency: string) => prev?.money.find((m) => m.currency === currency);
  return (
    <Box variant="grey" data-testid="marquee-dashboard" data-css="marquee-dashboard">
      <Box variant="white" mb="xl">
        <H2>{tm('dashTitle')}</H2>
        <Text>{tm('dashIntro', undefined, { zone: o ? `${o.time_zone} (${zone})` : tm('dashServiceZone') })}</Text>
        <Box as="form" data-testid="dash-form" flex flexDirection="row" flexWrap="wrap" alignItems="flex-end" mt="lg" style={{ gap: 12 }} onSubmit={apply}>
          <Box>
            <Label htmlFor="dash-from">{tm('dashFrom')}</Label>
            <Input id="dash-from" name="from" type="date" value={from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFrom(e.target.value)} />
          </Box>
          <Box>
            <Label htmlFor="dash-to">{tm('dashTo')}</Label>
            <Input id="dash-to" name="to" type="date" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
          </Box>
          <Button type="submit" variant="contained" data-testid="dash-apply">{tm('dashShow')}</Button>
          {data?.canRecompute ? (
            <Button type="button" disabled={busy || !!waiting} onClick={recompute} data-testid="dash-recompute">
              {tm('dashRecompute')}
            </Button>
          ) : null}
        </Box>
        {data?.error ? <Text color="error" mt="default" data-testid="dash-error">{tm(data.error.field === 'from' ? 'dashFrom' : 'dashTo')}: {data.error.message}</Text> : null}
        {o ? (
          <Text mt="default" data-testid="dash-range" data-from={o.from} data-to={o.to}>
            {tm('dashRange', undefined, { from: o.from, to: o.to, computed: o.computed_days, days: o.days })}
          </Text>
        ) : null}
        {partial ? (
          <Text mt="sm" color="grey60" data-testid="dash-partial" data-day={partial}>
            {tm('dashPartial', undefined, { day: partial, zone })}
          </Text>
        ) : null}
        {o?.last_computed_at ? <Text mt="sm" color="grey60" style={{ fontSize: 12 }}>{tm('dashLastComputed', undefined, { at: formatDateTime(o.last_computed_at, o.time_zone) })}</Text> : null}
        {waiting ? <Text mt="sm" data-testid="dash-waiting">{tm('dashWaiting')}</Text> : null}
      </Box>
      {failed && <Text color="error">{tm('dashLoadFailed')}</Text>}

      {cur && prev ? (
        <Block testId="kpis" title={<>{tm('dashKpiTitle', undefined, { from: cur.from, to: cur.to })} <span style={{ fontWeight: 400, fontSize: 12 }}>{tm('dashKpiPrevious', undefined, { from: prev.from, to: prev.to })}</span></>}>
          <Box flex flexDirection="row" flexWrap="wrap">
            <Kpi testId="kpi-active-subscribers" label={tm('dashActiveSubscribers')} value={cur.active_subscribers === null ? '—' : String(cur.active_subscribers)} previous={prev.active_subscribers === null ? '—' : String(prev.active_subscribers)} />
            {cur.money.map((m) => {
              const p = prevMoney(m.currency);
              return (
                <React.Fragment key={m.currency}>
                  <Kpi testId={`kpi-mrr-${m.currency}`} label={tm('dashMrr', undefined, { currency: m.currency })} value={formatMoney(m.mrr, m.currency)} previous={p ? formatMoney(p.mrr, m.currency) : '—'} />
                  <Kpi testId={`kpi-refund-rate-${m.currency}`} label={tm('dashRefundRate', undefined, { currency: m.currency })} value={percent(m.refund_rate)} previous={p ? percent(p.refund_rate) : '—'} />
                  <Kpi testId={`kpi-arpu-${m.currency}`} label={tm('dashArpu', undefined, { currency: m.currency })} value={m.arpu === null ? '—' : formatMoney(m.arpu, m.currency)} previous={p?.arpu == null ? '—' : formatMoney(p.arpu, m.currency)} />
                </React.Fragment>
              );
            })}
          </Box>
        </Block>
      ) : null}

      {o?.revenue?.map((r) => (
        <Block key={r.currency} testId={`revenue-${r.currency}`} title={React.Children.toArray(
            withElements(tm, 'dashRevenueTitle', { currency: r.currency, refunded: formatMoney(r.totals.refunded, r.currency) }, {
              gross: <span data-testid={`revenue-gross-${r.currency}`}>{formatMoney(r.totals.gross, r.currency)}</span>,
              net: <span data-testid={`revenue-net-${r.currency}`}>{formatMoney(r.totals.net, r.currency)}</span>,
            }),
          )}>
          <ChartCanvas
            testId={`revenue-chart-${r.currency}`}
            points={{ gross: r.days.map((d) => d.gross), refunded: r.days.map((d) => d.refunded), net: r.days.map((d) => d.net), partial_day: partial }}
            config={{
              type: 'bar',
              data: {
                labels,
                datasets: [
                  { type: 'bar', label: tm('dashGross'), data: r.days.map((d) => d.gross), backgroundColor: r.days.map((d) => (d.day === partial ? 'rgba(48,64,214,0.35)' : COLORS[0])) },
                  { type: 'bar', label: tm('dashRefunded'), data: r.days.map((d) => d.refunded), backgroundColor: r.days.map((d) => (d.day === partial ? 'rgba(194,0,18,0.35)' : COLORS[1])) },
                  { type: 'line', label: tm('dashNet'), data: r.days.map((d) => d.net), borderColor: COLORS[2], backgroundColor: COLORS[2], pointRadius: 2, ...LINE },
                ],
              } as ChartConfiguration['data'],
              options: { scales: { y: { beginAtZero: true, min: 0 } } },
            }}
          />
          <Text mt="default">
            {tm('dashByMethod', undefined, { list: r.by_method.map((m) => `${m.method_type} ${formatMoney(m.net, r.currency)}`).join(' · ') || '—' })} &nbsp;|&nbsp;{' '}
            {tm('dashByProduct', undefined, { list: r.by_product.map((p) => `${p.product} ${formatMoney(p.net, r.currency)}`).join(' · ') || '—' })}
          </Text>
        </Block>
      ))}
      {o?.revenue && o.revenue.length === 0 ? <Block testId="revenue-none" title={tm('dashRevenue')}><Text>{tm('dashNoRevenue')}</Text></Block> : null}

      {o?.subscriptions ? (
        <Block testId="subscriptions" title={tm('dashSubscriptionsTitle')}>
          <ChartCanvas
            testId="subscriptions-chart"
            points={o.subscriptions.by_plan}
            height={200}
            config={{
              type: 'bar',
              data: {
                labels: o.subscriptions.by_plan.map((p) => p.plan),
                datasets: [
                  { label: tm('dashNew'), data: o.subscriptions.by_plan.map((p) => p.new), backgroundColor: COLORS[0] },
                  { label: tm('dashCancelRequests'), data: o.subscriptions.by_plan.map((p) => p.cancel_requests), backgroundColor: COLORS[3] },
                  { label: tm('dashEnded'), data: o.subscriptions.by_plan.map((p) => p.ended), backgroundColor: COLORS[1] },
                  { label: tm('dashActive'), data: o.subscriptions.by_plan.map((p) => p.active), backgroundColor: COLORS[2] },
                ],
              },
              options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
          />
        </Block>
      ) : null}

      {o?.refunds ? (
        <Block testId="refunds-pending" title={tm('dashRefundsTitle')}>
          {o.refunds.pending.length ? (
            o.refunds.pending.map((p) => (
              <Text key={p.currency} data-testid={`refunds-pending-${p.currency}`}>
                <a href={`${window.location.pathname.replace(/\/$/, '')}/resources/refunds?filters.status=requested`}>{tm('dashRefundsPending', undefined, { count: p.count })}</a> — {formatMoney(p.amount, p.currency)}
              </Text>
            ))
          ) : (
            <Text data-testid="refunds-pending-none">{tm('dashRefundsNone')}</Text>
          )}
        </Block>
      ) : null}

      {o?.contents ? (
        <Block testId="contents" title={React.Children.toArray(withElements(tm, 'dashContentsTitle', { hours: hours(o.contents.totals.watch_seconds) }, { views: <span data-testid="views-total">{o.contents.totals.views}</span> }))}>
          <ChartCanvas
            testId="top-contents-chart"
            height={Math.max(120, 28 * o.contents.top.length)}
            points={o.contents.top.map((c) => ({ title: c.title, views: c.views }))}
            config={{
              type: 'bar',
              data: { labels: o.contents.top.map((c) => c.title ?? `#${c.content_id}`), datasets: [{ label: tm('dashViews'), data: o.contents.top.map((c) => c.views), backgroundColor: COLORS[4] }] },
              options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
          />
        </Block>
      ) : null}

      {o?.catalog ? (
        <Block testId="catalog" title={tm('dashCatalog')}>
          <Text data-testid="catalog-figures">
            {tm('dashCatalogFigures', undefined, {
              movies: o.catalog.movies,
              genres: o.catalog.genres,
              people: o.catalog.people,
              manufacturers: o.catalog.manufacturers,
              contents: Object.entries(o.catalog.contents).map(([k, v]) => tm('dashContentCount', undefined, { count: v, status: tl(`status.${k}`, undefined, { defaultValue: k }) })).join(', ') || tm('dashNoContents'),
              cinemas: o.catalog.cinemas,
              showtimes: o.catalog.showtimes_bookable,
            })}
          </Text>
        </Block>
      ) : null}

      {o?.signups ? (
        <Block testId="signups" title={React.Children.toArray(withElements(tm, 'dashSignupsTitle', { from: o.from, to: o.to }, { total: <span data-testid="signups-total">{o.signups.total}</span> }))}>
          <ChartCanvas
            testId="signups-chart"
            height={200}
            points={o.signups.days.map((d) => d.signups)}
            config={{
              type: 'line',
              data: { labels, datasets: [{ label: tm('dashSignupsPerDay'), data: o.signups.days.map((d) => d.signups), borderColor: COLORS[0], backgroundColor: 'rgba(48,64,214,0.15)', fill: 'origin', pointRadius: 2, ...LINE }] },
              options: { scales: { y: { beginAtZero: true, min: 0, ticks: { precision: 0 } } } },
            }}
          />
        </Block>
      ) : null}
    </Box>
  );
};

export default Dashboard;
