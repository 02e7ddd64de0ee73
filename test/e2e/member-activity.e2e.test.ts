// In a real headless Chromium: a member's show page (Member lookup) lists their ratings and watch
// history for an admin and none for support; Recommendation runs shows a run's progress and
// "Retrain now" queues the job.
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { RecRun } from '../../src/modules/recommendations/recommendation.entities.js';
import type { BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { adminBrowserSuite } from '../support/admin-browser.js';
import { memberAccount, type Account } from '../support/commerce-instruments.js';
import { uniqueName } from '../support/users.js';

const s = adminBrowserSuite();
const WIDE = { width: 1600, height: 1000 };
let member: Account;
let movieName: string;
let runId: number;

beforeAll(async () => {
  member = await memberAccount(s.ctx.rt, s.ctx.app);
  movieName = uniqueName('활동 영화 ');
  const movie = await s.ctx.rt.ds.getRepository(Movie).save({ name: movieName, watchGrade: '전체 관람가' });
  await s.ctx.rt.services.ratings.createMany(member.id, [{ movie: movie.id, score: 4.5 }]);
  const contents = s.ctx.rt.ds.getRepository(Content);
  const c = await contents.save(contents.create({ title: '활동 본편', storageKey: `contents/test/e2e-activity-${Date.now()}.mp4`, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', movieId: movie.id }));
  await s.ctx.rt.services.members.recordWatch(member.id, { content: c.id, position: 600, duration: 3600 });
  runId = (await s.ctx.rt.ds.getRepository(RecRun).save({ kind: 'full', status: 'running', progress: 37 })).id;
}, 60_000);

it('admin: the member’s ratings and watch history on their show page', async () => {
  const page = await s.login('admin', WIDE);
  await page.goto(`${s.baseUrl}/admin/resources/members/records/${member.id}/show`);
  const ratings = page.getByTestId('member-ratings');
  await ratings.waitFor();
  expect(await ratings.textContent()).toContain(movieName);
  expect(await ratings.textContent()).toContain('4.5');
  expect(await page.getByTestId('member-history').textContent()).toContain('600');
  expect(await page.getByTestId('member-coupons').textContent()).toContain('없음');
  await s.shot(page, 'members-activity-admin.png');
  await page.close();
}, 90_000);

it('support: the masked member page with the subscription summary, without the lists', async () => {
  const page = await s.login('support', WIDE);
  await page.goto(`${s.baseUrl}/admin/resources/members/records/${member.id}/show`);
  await page.getByTestId('member-billing').waitFor();
  expect(await page.getByTestId('member-subscription').getAttribute('data-status')).toBe('none');
  expect(await page.getByTestId('member-ratings').count()).toBe(0);
  expect(await page.getByTestId('member-timeline').count()).toBe(0);
  await page.close();
}, 90_000);

it('admin: Recommendation runs shows progress; Retrain now queues the job', async () => {
  const page = await s.login('admin', WIDE);
  await page.goto(`${s.baseUrl}/admin/resources/rec_runs`);
  await page.getByText('추천 학습').first().waitFor();
  const row = page.locator('tr', { hasText: /running|실행 중/ }).filter({ has: page.locator('td', { hasText: /^37$/ }) });
  await row.first().waitFor();
  expect(await row.first().textContent()).toContain(String(runId));
  await page.goto(`${s.baseUrl}/admin/resources/rec_runs/actions/retrain`);
  await page.getByTestId('rec-retrain').getByRole('button', { name: '지금 다시 학습' }).click();
  await page.getByTestId('rec-retrain-queued').waitFor();
  await s.ctx.rt.relay.flush(); // the outbox relay moves the intent to BullMQ
  const jobs = await (s.ctx.rt.jobs as BullJobBus).queue(QUEUES.recommendations).getJobs(['waiting', 'delayed', 'active']);
  expect(jobs.filter((j) => j.name === 'recommendations.train')).toHaveLength(1);
  await s.shot(page, 'recommendation-runs-retrain.png');
  await page.close();
}, 90_000);
