// The admin dashboard (chart.js). Data comes from the dashboard handler in admin/index.ts, which
// reads the statistics snapshot tables through the statistics service; the blocks shown follow
// the role table (finance: revenue, subscriptions, pending refunds; catalog staff: views and
// catalog figures; every staff role: sign-ups). A date-range picker reloads the numbers; roles
// that may recompute get "Recompute these days" (queues the statistics.recompute job).
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { ApiClient, useNotice } from 'adminjs';
import { Box, Button, H2, H5, Input, Label, Text } from '@adminjs/design-system';
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

type Totals = { payments: number; gross: number; refunds: number; refunded: number; net: number };
type Overview = {
  from: string;
  to: string;
  sections: string[];
  computed_days: number;
  days: number;
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
const money = (n: number, currency: string) => `${new Intl.NumberFormat('ko-KR').format(n)} ${currency}`;
const hours = (s: number) => `${(s / 3600).toFixed(1)} h`;

/** One chart.js chart; the values it draws are also on the canvas as data-points (tests read them). */
const ChartCanvas: React.FC<{ testId: string; config: ChartConfiguration; points: unknown; height?: number }> = ({ testId, config, points, height = 90 }) => {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    // The wrapper gives the height (at least 200 px, also on a phone: admin/brand/panel.css).
    const chart = new Chart(canvas.current, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options ?? {}) } });
    return () => chart.destroy();
  }, [JSON.stringify(points)]);
  return (
    <div className="marquee-chart" style={{ height: Math.max(200, Math.round(height * 2.4)) }}>
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

const Dashboard: React.FC = () => {
  const [data, setData] = useState<DashboardData | null>(null);
  const [failed, setFailed] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const notice = useNotice();

  const load = useCallback((range: { from?: string; to?: string }) => {
    api
      .getDashboard({ params: range })
      .then((res) => {
        const d = res.data as DashboardData;
        setData(d);
        setFailed(false);
        if (d.overview) {
          setFrom(d.overview.from);
          setTo(d.overview.to);
        }
      })
      .catch(() => setFailed(true));
  }, []);
  useEffect(() => load({}), [load]);

  const recompute = async () => {
    if (!data) return;
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: data.recomputeResource, actionName: 'recompute', method: 'post', data: { from, to } });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' } };
      if (body.notice) notice(body.notice);
    } catch {
      notice({ message: 'The recompute could not be queued.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const o = data?.overview;
  const labels = o ? (o.signups?.days ?? o.revenue?.[0]?.days ?? o.contents?.days ?? []).map((d) => d.day.slice(5)) : [];
  return (
    <Box variant="grey" data-testid="marquee-dashboard">
      <Box variant="white" mb="xl">
        <H2>Marquee back office</H2>
        <Text>Daily snapshots computed by the statistics jobs (UTC days). Days without a snapshot are gaps, not zeros.</Text>
        <Box as="form" data-testid="dash-form" flex flexDirection="row" alignItems="flex-end" mt="lg" style={{ flexWrap: 'wrap', gap: 8 }} onSubmit={(e: React.FormEvent) => { e.preventDefault(); load({ from, to }); }}>
          <Box mr="lg">
            <Label htmlFor="dash-from">From</Label>
            <Input id="dash-from" type="date" value={from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFrom(e.target.value)} />
          </Box>
          <Box mr="lg">
            <Label htmlFor="dash-to">To</Label>
            <Input id="dash-to" type="date" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
          </Box>
          <Button type="submit" variant="contained" mr="lg" data-testid="dash-apply">Show</Button>
          {data?.canRecompute ? (
            <Button type="button" disabled={busy} onClick={recompute} data-testid="dash-recompute">
              Recompute these days
            </Button>
          ) : null}
        </Box>
        {data?.error ? <Text color="error" mt="default" data-testid="dash-error">{data.error.field}: {data.error.message}</Text> : null}
        {o ? <Text mt="default" data-testid="dash-range">{o.from} – {o.to}: {o.computed_days} of {o.days} days computed</Text> : null}
      </Box>
      {failed && <Text color="error">Could not load the statistics.</Text>}

      {o?.revenue?.map((r) => (
        <Block key={r.currency} testId={`revenue-${r.currency}`} title={<>Revenue ({r.currency}): gross <span data-testid={`revenue-gross-${r.currency}`}>{money(r.totals.gross, r.currency)}</span>, refunded {money(r.totals.refunded, r.currency)}, net <span data-testid={`revenue-net-${r.currency}`}>{money(r.totals.net, r.currency)}</span></>}>
          <ChartCanvas
            testId={`revenue-chart-${r.currency}`}
            points={{ gross: r.days.map((d) => d.gross), refunded: r.days.map((d) => d.refunded), net: r.days.map((d) => d.net) }}
            config={{
              type: 'line',
              data: {
                labels,
                datasets: [
                  { label: 'Gross', data: r.days.map((d) => d.gross), borderColor: COLORS[0], tension: 0.2 },
                  { label: 'Refunded', data: r.days.map((d) => d.refunded), borderColor: COLORS[1], tension: 0.2 },
                  { label: 'Net', data: r.days.map((d) => d.net), borderColor: COLORS[2], backgroundColor: 'rgba(12,138,79,0.12)', fill: true, tension: 0.2 },
                ],
              },
              options: { scales: { y: { beginAtZero: true } } },
            }}
          />
          <Text mt="default">
            By method: {r.by_method.map((m) => `${m.method_type} ${money(m.net, r.currency)}`).join(' · ') || '—'} &nbsp;|&nbsp; By product: {r.by_product.map((p) => `${p.product} ${money(p.net, r.currency)}`).join(' · ') || '—'}
          </Text>
        </Block>
      ))}
      {o?.revenue && o.revenue.length === 0 ? <Block testId="revenue-none" title="Revenue"><Text>No captured payments in this range.</Text></Block> : null}

      {o?.subscriptions ? (
        <Block testId="subscriptions" title="Subscriptions by plan (new, cancellation requests and ended in the range; active at its last computed day)">
          <ChartCanvas
            testId="subscriptions-chart"
            points={o.subscriptions.by_plan}
            config={{
              type: 'bar',
              data: {
                labels: o.subscriptions.by_plan.map((p) => p.plan),
                datasets: [
                  { label: 'New', data: o.subscriptions.by_plan.map((p) => p.new), backgroundColor: COLORS[0] },
                  { label: 'Cancel requests', data: o.subscriptions.by_plan.map((p) => p.cancel_requests), backgroundColor: COLORS[3] },
                  { label: 'Ended', data: o.subscriptions.by_plan.map((p) => p.ended), backgroundColor: COLORS[1] },
                  { label: 'Active', data: o.subscriptions.by_plan.map((p) => p.active), backgroundColor: COLORS[2] },
                ],
              },
              options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
          />
        </Block>
      ) : null}

      {o?.refunds ? (
        <Block testId="refunds-pending" title="Refunds waiting for finance">
          {o.refunds.pending.length ? (
            o.refunds.pending.map((p) => (
              <Text key={p.currency} data-testid={`refunds-pending-${p.currency}`}>
                <a href={`${window.location.pathname.replace(/\/$/, '')}/resources/refunds?filters.status=requested`}>{p.count} pending</a> — {money(p.amount, p.currency)}
              </Text>
            ))
          ) : (
            <Text data-testid="refunds-pending-none">None pending.</Text>
          )}
        </Block>
      ) : null}

      {o?.contents ? (
        <Block testId="contents" title={<>Top 10 contents by views — <span data-testid="views-total">{o.contents.totals.views}</span> views, {hours(o.contents.totals.watch_seconds)} watched</>}>
          <ChartCanvas
            testId="top-contents-chart"
            height={Math.max(60, 18 * o.contents.top.length)}
            points={o.contents.top.map((c) => ({ title: c.title, views: c.views }))}
            config={{
              type: 'bar',
              data: { labels: o.contents.top.map((c) => c.title ?? `#${c.content_id}`), datasets: [{ label: 'Views (members)', data: o.contents.top.map((c) => c.views), backgroundColor: COLORS[4] }] },
              options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
          />
        </Block>
      ) : null}

      {o?.catalog ? (
        <Block testId="catalog" title="Catalog">
          <Text data-testid="catalog-figures">
            {o.catalog.movies} movies · {o.catalog.genres} genres · {o.catalog.people} people · {o.catalog.manufacturers} production companies · contents: {Object.entries(o.catalog.contents).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'} · {o.catalog.cinemas} cinemas with {o.catalog.showtimes_bookable} bookable showtimes (today … today+2)
          </Text>
        </Block>
      ) : null}

      {o?.signups ? (
        <Block testId="signups" title={<>Sign-ups {o.from} – {o.to}: <span data-testid="signups-total">{o.signups.total}</span></>}>
          <ChartCanvas
            testId="signups-chart"
            points={o.signups.days.map((d) => d.signups)}
            config={{
              type: 'line',
              data: { labels, datasets: [{ label: 'Sign-ups per day', data: o.signups.days.map((d) => d.signups), borderColor: COLORS[0], backgroundColor: 'rgba(48,64,214,0.15)', fill: true, tension: 0.2, spanGaps: false }] },
              options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
            }}
          />
        </Block>
      ) : null}
    </Box>
  );
};

export default Dashboard;
