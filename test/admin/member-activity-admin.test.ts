// A member's show page in the panel (Member lookup) lists their ratings, watch history, coupons and
// payments, read through the resource's `activity` action (AdminJS HTTP API, live MariaDB and
// Redis). Each list only for a role the role table lets read it; the member stays masked.
import type { Express } from 'express';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import type { Role } from '../../src/modules/users/user.entity.js';
import { capturedPaymentAt, memberAccount, type Account } from '../support/commerce-instruments.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelLogins } from '../support/panel.js';
import { createStaff, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
let member: Account;
let movies: Movie[];
let paymentId: number;
let couponCode: string;

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  member = await memberAccount(ctx.rt, ctx.app);
  await ctx.rt.ds.getRepository(User).update({ id: member.id }, { fullName: '김영희', phone: '010-9876-5432' });
  const repo = ctx.rt.ds.getRepository(Movie);
  movies = await repo.save([0, 1, 2].map((i) => repo.create({ name: `${uniqueName('활동 영화')} ${i}`, watchGrade: '전체 관람가', openDate: '2020-01-01' })));
  await ctx.rt.services.ratings.createMany(member.id, [{ movie: movies[0]!.id, score: 4.5 }, { movie: movies[1]!.id, score: 2 }]);
  const contents = ctx.rt.ds.getRepository(Content);
  const c = await contents.save(contents.create({ title: '활동 본편', storageKey: `contents/test/activity-${Date.now()}.mp4`, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', movieId: movies[2]!.id }));
  await ctx.rt.services.members.recordWatch(member.id, { content: c.id, position: 600, duration: 3600 });
  const finance = await createStaff(ctx.rt, 'finance');
  const actor = { id: finance.user.id, username: finance.user.username, email: finance.email, role: 'finance' as const };
  couponCode = `ACT${Date.now()}`;
  const coupon = await ctx.rt.services.offers.createCoupon(actor, { code: couponCode, name: '활동 쿠폰', type: 'fixed', value: 1000, currency: 'KRW' });
  await ctx.rt.services.offers.issue(actor, coupon.id, [member.id]);
  paymentId = (await capturedPaymentAt(ctx.rt, ctx.app, member, { item: movies[2]!.id }, new Date())).id;
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const as = panelLogins(() => ctx);
const activityOf = async (role: Exclude<Role, 'user'>) => (await as(role)).get(`/admin/api/resources/members/records/${member.id}/activity`);

describe('Member lookup: the show page lists', () => {
  it('gives admins the member’s ratings, watch history, coupons and payments, the member masked', async () => {
    const res = await activityOf('admin');
    expect(res.status).toBe(200);
    const { activity, record } = res.body;
    expect(record.params).toEqual(expect.objectContaining({ id: member.id, fullName: '김*희', phone: '010-****-5432' }));
    expect(JSON.stringify(res.body)).not.toContain('9876-5432');
    expect(activity.ratings).toHaveLength(2);
    expect(activity.ratings).toEqual(expect.arrayContaining([expect.objectContaining({ movie_id: movies[0]!.id, movie: movies[0]!.name, score: 4.5, hidden: false })]));
    expect(activity.history).toEqual([expect.objectContaining({ movie_id: movies[2]!.id, movie: movies[2]!.name, position: 600, duration: 3600 })]);
    expect(activity.coupons).toEqual([expect.objectContaining({ code: couponCode, name: '활동 쿠폰', status: 'issued' })]);
    expect(activity.payments).toEqual([expect.objectContaining({ id: paymentId, kind: 'item', status: expect.any(String), currency: expect.any(String), paid_at: expect.any(String) })]);
    expect(JSON.stringify(activity.payments)).not.toMatch(/4242|card_number|gateway/);
    // the show page carries the virtual Activity property (rendered by the MemberActivity component)
    const show = await (await as('admin')).get(`/admin/api/resources/members/records/${member.id}/show`);
    expect(show.status).toBe(200);
  });

  it('gives each role only the lists the role table lets it read', async () => {
    const finance = (await activityOf('finance')).body.activity;
    expect(Object.keys(finance).sort()).toEqual(['billing', 'coupons', 'history', 'payments', 'ratings', 'timeline']);
    // support may read members and their billing summary (status and amounts, no card, no ids): none of the lists
    const support = await activityOf('support');
    expect(support.status).toBe(200);
    expect(Object.keys(support.body.activity)).toEqual(['billing']);
    expect(support.body.activity.billing.payments).toEqual([{ kind: 'item', status: 'paid', amount: expect.any(Number), refunded: 0, currency: expect.any(String), created_at: expect.any(String) }]);
    expect(support.body.record.params.fullName).toBe('김*희');
    // catalog staff may not read members at all
    const catalog = await activityOf('catalog');
    expect(catalog.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(catalog.body.activity).toBeUndefined();
  });

  it('finds no record for a staff account or an unknown id (the lookup holds members only)', async () => {
    const staff = await createStaff(ctx.rt, 'catalog');
    const admin = await as('admin');
    for (const id of [staff.user.id, 2_000_000_000]) {
      const res = await admin.get(`/admin/api/resources/members/records/${id}/activity`);
      expect(res.body.record.baseError).toEqual(expect.objectContaining({ type: 'NotFoundError' }));
      expect(res.body.record.params).toEqual({});
      expect(res.body.activity).toBeUndefined();
    }
  });
});
