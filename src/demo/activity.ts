// A week of members' activity for the demo, so the dashboard, the finance lists and the
// recommendations show something real the first time a person opens them: members signing up,
// payment methods, sandbox payments (subscriptions, single movies, a welcome coupon), renewals of
// the members who subscribed a month earlier (one card declined until the subscription is
// suspended), refunds (completed, and some still pending for finance), ratings, cinema reviews and
// watch events; then the statistics of those days, the recommendations and the top 10 are computed.
//
// Everything goes through the services, as the API and the jobs would, on a second set of services
// whose commerce clock is simulated: the events are played in time order over the seven UTC days
// before `now`, so payments, refunds, subscription events, sign-ups and watch events carry the
// times they happened (the renewal job runs every hour of the simulated week). Deterministic for a
// given seed and `now`. Runs once: when any member account exists, it does nothing.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuthUser } from '../http/auth.js';
import { Random } from '../modules/recommendations/engine/random.js';
import { addDays, utcDay } from '../modules/statistics/statistics.service.js';
import { buildServices, type Runtime, type Services } from '../runtime.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The demo's video (a 4-second test pattern made for it): every demo content is a copy. */
export const DEMO_VIDEO = 'sample.mp4';
/** Movies of the demo catalog that get a playable content (those with full records). */
const CONTENT_MOVIES = [85579, 146469, 146480, 151728, 135874, 152691, 159851, 129095];
export const DEMO_COUPON = 'WELCOME20';
export const DEMO_FINANCE_EMAIL = 'finance@demo.marquee.local';

const ADJECTIVES = ['별빛', '달빛', '새벽', '노을', '바다', '하늘', '여름', '겨울'];
const ANIMALS = ['고양이', '여우', '펭귄', '토끼', '고래'];
const RATING_COMMENTS = ['재밌게 봤어요', '두 번 봤습니다', '배우들 연기가 좋아요', '생각보다 길었어요', '음악이 기억에 남아요', '가족이랑 보기 좋아요', null, null, null];
const CINEMA_COMMENTS = ['좌석이 편해요', '주차가 조금 불편해요', '역에서 가까워요', '화면과 음향이 좋아요', '매점 줄이 길어요'];

export interface DemoActivityOptions {
  /** The end of the simulated week (default: now). The week is the seven UTC days before its day. */
  now?: Date;
  /** Members who joined during the week, per day (default 3). */
  newPerDay?: number;
  /** Members who joined a month before the week and renew during it (default 12). */
  regulars?: number;
  seed?: number;
}

export interface DemoActivityReport {
  /** The seven UTC days of the week, oldest first (their statistics are computed). */
  days: string[];
  members: number;
  methods: number;
  payments: { paid: number; failed: number };
  renewals: { charged: number; failed: number };
  refunds: { completed: number; pending: number };
  coupons: { issued: number; used: number };
  ratings: number;
  cinemaReviews: number;
  contents: number;
  watchEvents: number;
  /** Why there are no contents/watch events (no ffprobe, no video file), or null. */
  contentsSkipped: string | null;
  recommendations: { status: string; users: number };
  ms: number;
}

export type DemoActivityResult = { status: 'generated'; report: DemoActivityReport } | { status: 'skipped'; reason: string };

interface Member {
  user: AuthUser;
  methodId: number | null;
  /** The member's first subscription payment, for refunds. */
  subscriptionPayment: number | null;
}

/** The week of activity, when no member account exists yet. */
export async function generateDemoActivityIfNone(rt: Runtime, opts: DemoActivityOptions = {}): Promise<DemoActivityResult> {
  // Never real money: the demo's payments go through the sandbox only.
  if (rt.services.paymentGateway.name !== 'sandbox') return { status: 'skipped', reason: `the payment gateway is ${rt.services.paymentGateway.name}, not the sandbox` };
  if ((await rt.services.users.countByRole('user')) > 0) return { status: 'skipped', reason: 'members exist already' };
  if ((await rt.services.catalog.figures()).movies === 0) return { status: 'skipped', reason: 'the catalog is empty' };
  return { status: 'generated', report: await generateDemoActivity(rt, opts) };
}

export async function generateDemoActivity(rt: Runtime, opts: DemoActivityOptions = {}): Promise<DemoActivityReport> {
  const started = Date.now();
  const end = opts.now ?? new Date();
  const today = utcDay(end);
  const weekStart = Date.parse(`${addDays(today, -7)}T00:00:00Z`);
  const days = Array.from({ length: 7 }, (_, k) => addDays(today, k - 7));
  const rng = new Random(opts.seed ?? 20_200_605);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const chance = (p: number) => rng.next() < p;

  let clock = weekStart;
  const s: Services = buildServices(rt.ds, rt.services.outbox, rt.config, rt.invalidation, { clock: () => new Date(clock), gateway: rt.services.paymentGateway });
  const report: DemoActivityReport = {
    days,
    members: 0,
    methods: 0,
    payments: { paid: 0, failed: 0 },
    renewals: { charged: 0, failed: 0 },
    refunds: { completed: 0, pending: 0 },
    coupons: { issued: 0, used: 0 },
    ratings: 0,
    cinemaReviews: 0,
    contents: 0,
    watchEvents: 0,
    contentsSkipped: null,
    recommendations: { status: 'not run', users: 0 },
    ms: 0,
  };

  // ---- the scene: staff, a coupon, contents, the catalog the members rate --------------------------
  const staff = await s.users.ensureStaff(DEMO_FINANCE_EMAIL, randomBytes(18).toString('base64url'), 'finance');
  const finance: AuthUser = { id: staff.user.id, username: staff.user.username, email: staff.user.email, role: 'finance' };
  clock = weekStart - DAY;
  const coupon = await s.offers.createCoupon(finance, { code: DEMO_COUPON, name: '신규 회원 20% 할인', type: 'percent', value: 20, total_limit: 1000, per_user_limit: 1, valid_from: new Date(weekStart - DAY), valid_until: new Date(end.getTime() + 30 * DAY) });

  const contents: Array<{ id: number; movieId: number; seconds: number }> = [];
  const video = path.join(rt.config.demoDataDir, DEMO_VIDEO);
  if (!existsSync(video)) report.contentsSkipped = `no ${DEMO_VIDEO} in ${rt.config.demoDataDir}`;
  else {
    const movies = await s.catalog.viewsOf(CONTENT_MOVIES);
    for (const v of movies) {
      try {
        const c = await s.contents.ingest({ stream: createReadStream(video), originalName: DEMO_VIDEO, title: `${v.movie.name} (데모 영상)`, movieId: v.movie.id, uploadedBy: null });
        const probed = await s.contents.probe(c.id);
        if (probed?.status === 'ready') contents.push({ id: c.id, movieId: v.movie.id, seconds: (v.movie.runningTime ?? 100) * 60 });
        else report.contentsSkipped = `the demo video was not accepted (${probed?.reason ?? 'gone'})`;
      } catch (err) {
        // ffprobe missing: no contents, hence no watch events; everything else goes on.
        report.contentsSkipped = err instanceof Error ? err.message : String(err);
        break;
      }
    }
  }
  report.contents = contents.length;

  // The demo catalog's movies and cinemas (their ids from the demo data set), as the services see them.
  const demoIds = (file: string) => (JSON.parse(readFileSync(path.join(rt.config.demoDataDir, file), 'utf8')) as Array<{ id: number }>).map((r) => r.id);
  const catalog = await s.catalog.cardsWithGenres(demoIds('movies.json'));
  const withFacts = catalog.filter((c) => c.genres.length > 0);
  const cinemaIds: number[] = [];
  for (const id of demoIds('cinemas.json')) if (await s.cinemas.exists(id)) cinemaIds.push(id);

  // ---- the timeline: every action is an event at its time; the commerce clock follows ------------
  type Event = { at: number; seq: number; run: () => Promise<void> };
  const queue: Event[] = [];
  let seq = 0;
  const at = (t: number, run: () => Promise<void>) => {
    queue.push({ at: Math.min(t, end.getTime() - 60_000), seq: seq++, run });
  };
  let n = 0;

  const signup = async (): Promise<Member> => {
    n++;
    const nick = `${ADJECTIVES[(n - 1) % ADJECTIVES.length]}${ANIMALS[Math.floor((n - 1) / ADJECTIVES.length) % ANIMALS.length]}`;
    const username = n > ADJECTIVES.length * ANIMALS.length ? `${nick}${n}` : nick;
    const u = await s.users.signup({ username, email: `member${String(n).padStart(2, '0')}@example.com`, password: randomBytes(18).toString('base64url'), getAgreement: chance(0.6) }, { now: new Date(clock) });
    report.members++;
    return { user: { id: u.id, username: u.username, email: u.email, role: 'user' }, methodId: null, subscriptionPayment: null };
  };
  const addMethod = async (m: Member, kind: 'card' | 'paypal' | 'bank' | 'declined') => {
    const input =
      kind === 'paypal'
        ? ({ type: 'paypal', email: m.user.email } as const)
        : kind === 'bank'
          ? ({ type: 'bank_transfer', bank: '국민은행', account_number: `${100_000_000_000 + m.user.id}`, holder: m.user.username } as const)
          : ({ type: 'card', card_number: kind === 'declined' ? '4000000000000002' : '4242424242424242', exp_month: 1 + rng.int(12), exp_year: new Date(clock).getUTCFullYear() + 3, cvc: '123', holder: m.user.username } as const);
    m.methodId = (await s.methods.create(m.user.id, input, new Date(clock))).id;
    report.methods++;
  };
  const pay = async (m: Member, what: { plan: string } | { item: number }, withCoupon = false): Promise<number | null> => {
    const p = await s.payments.request(m.user, { ...what, methodId: m.methodId!, couponId: withCoupon ? coupon.id : null });
    try {
      await s.payments.approve(m.user, p.id);
      await s.payments.execute(m.user, p.id);
    } catch {
      report.payments.failed++;
      return null;
    }
    report.payments.paid++;
    if (withCoupon) report.coupons.used++;
    return p.id;
  };
  const rate = async (m: Member) => {
    // A member's taste: a few liked genres and their own mean; scores in half stars.
    const liked = new Set(withFacts.flatMap((c) => c.genres).filter(() => chance(0.2)));
    const bias = rng.normal() * 0.4;
    const items = shuffle(rng, withFacts)
      .slice(0, 8 + rng.int(6))
      .concat(shuffle(rng, catalog.filter((c) => !c.genres.length)).slice(0, 2 + rng.int(4)))
      .map((c) => {
        const taste = c.genres.reduce((sum, g) => sum + (liked.has(g) ? 0.5 : 0), 0);
        return { movie: c.movie.id, score: Math.min(5, Math.max(0.5, Math.round((3.3 + bias + taste + rng.normal() * 0.7) * 2) / 2)), comment: pick(RATING_COMMENTS) };
      });
    report.ratings += await s.ratings.createMany(m.user.id, items);
  };
  const review = async (m: Member) => {
    if (!cinemaIds.length) return;
    await s.cinemas.createRating(m.user.id, { cinema: pick(cinemaIds), score: 3 + rng.int(5) / 2, comment: pick(CINEMA_COMMENTS) });
    report.cinemaReviews++;
  };
  /** A viewing session from `start`: the player reports every 5 minutes (the first report starts the clock). */
  const watch = (m: Member, start: number, minutes: number) => {
    if (!contents.length) return;
    const c = pick(contents);
    const from = rng.int(Math.max(1, c.seconds - minutes * 60));
    for (let k = 0; k * 5 <= minutes; k++) {
      at(start + k * 5 * 60_000, async () => {
        await s.members.recordWatch(m.user.id, { content: c.id, position: Math.min(c.seconds, from + k * 300), duration: c.seconds }, new Date(clock));
        report.watchEvents++;
      });
    }
  };
  const minute = 60_000;
  const randomIn = (from: number, to: number) => from + rng.int(Math.max(1, Math.floor((to - from) / minute))) * minute;

  // Regulars: joined a month before the week and subscribed then; their renewals fall in the week.
  const regulars = opts.regulars ?? 12;
  for (let k = 0; k < regulars; k++) {
    // The troubled one (k = 3) renews early in the week, so its three attempts fall in it.
    const renewal = weekStart + (k === 3 ? 6 + rng.int(24) : rng.int(7 * 24 - 2)) * HOUR;
    const first = monthBefore(renewal);
    const yearly = k % 6 === 5;
    at(first - (1 + rng.int(48)) * HOUR, async () => {
      const m = await signup();
      await addMethod(m, chance(0.8) ? 'card' : 'paypal');
      await rate(m);
      at(first, async () => {
        m.subscriptionPayment = await pay(m, { plan: yearly ? 'yearly' : 'monthly' });
        for (let w = 0; w < 1 + rng.int(3); w++) watch(m, randomIn(weekStart, end.getTime() - 4 * HOUR), 20 + rng.int(100));
      });
      // One replaces the card with one that is declined: three failed renewals, then suspended.
      if (k === 3) {
        at(first + 3 * DAY, async () => {
          const old = m.methodId!;
          await addMethod(m, 'declined');
          await s.methods.remove(m.user.id, old);
        });
      }
      // One who watched asks for a refund of the month they were charged again (prorated, waiting).
      if (k === 9 && !yearly) {
        at(renewal + 2 * DAY, async () => {
          const latest = (await s.payments.listForUser(m.user.id, { offset: 0, limit: 1 })).rows[0];
          if (latest?.status !== 'paid') return;
          const r = await s.refunds.create(m.user, { paymentId: latest.id, reason: '해외 출장으로 이번 달은 이용하지 못해요' });
          if (r.status === 'requested') report.refunds.pending++;
        });
      }
      // One cancels at the period's end, during the week.
      if (k === 7) at(weekStart + 2 * DAY + 10 * HOUR, async () => void (await s.subscriptions.cancel(m.user, m.user.id)));
    });
  }

  // New members: a few a day; most pay the day they join, some of them with the welcome coupon.
  const perDay = opts.newPerDay ?? 3;
  for (let d = 0; d < 7; d++) {
    for (let k = 0; k < perDay + (d % 3 === 1 ? 1 : 0); k++) {
      const joined = weekStart + d * DAY + (1 + rng.int(13)) * HOUR + rng.int(60) * minute;
      at(joined, async () => {
        const m = await signup();
        await s.offers.issue(finance, coupon.id, [m.user.id], new Date(clock));
        report.coupons.issued++;
        await addMethod(m, pick(['card', 'card', 'card', 'paypal', 'bank'] as const));
        await rate(m);
        const roll = rng.next();
        const plan = roll < 0.55 ? 'monthly' : roll < 0.65 ? 'yearly' : null;
        const fate = rng.next();
        at(clock + 20 * minute, async () => {
          if (!plan) {
            for (let i = 0; i < 1 + rng.int(2); i++) await pay(m, { item: pick(withFacts).movie.id });
            return;
          }
          m.subscriptionPayment = await pay(m, { plan }, chance(0.4));
          if (!m.subscriptionPayment) return;
          if (fate < 0.12) {
            // Changed their mind before watching anything: the 7-day full refund, at once.
            at(clock + 5 * HOUR, async () => {
              const { refund } = await s.payments.cancel(m.user, m.subscriptionPayment!, '생각보다 볼 영화가 적어요');
              if (refund?.status === 'completed') report.refunds.completed++;
            });
            return;
          }
          watch(m, clock + 2 * HOUR, 20 + rng.int(100));
          const later = randomIn(clock + 6 * HOUR, end.getTime() - 2 * HOUR);
          watch(m, later, 30 + rng.int(90));
          if (fate > 0.7) {
            // Watched, then asked for a refund: prorated, waiting for finance.
            at(later + 3 * HOUR, async () => {
              const r = await s.refunds.create(m.user, { paymentId: m.subscriptionPayment!, reason: '이사로 당분간 이용이 어려워요' });
              if (r.status === 'requested') report.refunds.pending++;
              else if (r.status === 'completed') report.refunds.completed++;
            });
          }
        });
        if (chance(0.35)) at(clock + 2 * DAY, () => review(m));
      });
    }
  }

  // The renewal job, every hour at :15 as its schedule runs it.
  for (let t = weekStart + 15 * minute; t < end.getTime(); t += HOUR) {
    at(t, async () => {
      const r = await s.payments.runRenewals(s.idempotency);
      report.renewals.charged += r.charged;
      report.renewals.failed += r.failed;
    });
  }

  // An hour before the end finance approves the oldest waiting refund when several wait; the others wait.
  at(end.getTime() - HOUR, async () => {
    const waiting = (await s.refunds.list({ status: 'requested' }, { offset: 0, limit: 10 })).rows;
    if (waiting.length < 3) return;
    const oldest = waiting.reduce((a, b) => (a.createdAt.getTime() <= b.createdAt.getTime() ? a : b));
    await s.refunds.approve(finance, oldest.id);
    report.refunds.pending--;
    report.refunds.completed++;
  });

  // Played in time order; events scheduled while playing join the queue at their time.
  while (queue.length) {
    let next = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i]!.at < queue[next]!.at || (queue[i]!.at === queue[next]!.at && queue[i]!.seq < queue[next]!.seq)) next = i;
    const [e] = queue.splice(next, 1);
    clock = e!.at;
    try {
      await e!.run();
    } catch (err) {
      rt.logger.debug({ err }, 'demo activity: an event failed and was left out');
    }
  }

  // ---- what the jobs compute -------------------------------------------------------------------
  for (const day of days) await s.statistics.computeDay(day);
  const run = await s.recommendations.trainAll();
  // null: another training holds the lock (the worker's nightly one); its lists serve the same.
  report.recommendations = { status: run?.status ?? 'skipped', users: run?.users ?? 0 };
  await s.recommendations.computeTop10(end);
  report.ms = Date.now() - started;
  return report;
}

/** A shuffled copy (Fisher–Yates on the seeded generator). */
function shuffle<T>(rng: Random, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same time one calendar month earlier (UTC; the day clamped to the month's last). */
function monthBefore(t: number): number {
  const d = new Date(t);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.getTime();
}
