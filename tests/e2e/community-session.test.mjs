// A volunteer logs the commune's festival day ("Ngày hội toàn dân học tập
// số") without a signal: the session survives a reload, a mistake is
// explained in Vietnamese, and once the signal returns it reaches the server
// once — counted in the leader's dashboard as a session, never as households.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

test('a community session logged offline syncs once and counts apart from households', async () => {
  const { server, phone } = world;
  const { page, context } = phone;
  await signIn(page, server.base, 'tinhnguyen1');
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('link', { name: 'Buổi học cộng đồng' }).click();
  await page.getByRole('link', { name: '+ Ghi buổi học cộng đồng' }).click();

  await page.selectOption('#session-village', { label: 'Thôn Đông' });
  await page.fill('#session-place', 'Nhà văn hóa thôn Đông');
  await page.getByRole('button', { name: 'Kích hoạt định danh điện tử mức 2' }).click();
  await page.getByRole('button', { name: 'Nhận diện, phòng tránh lừa đảo trực tuyến' }).click();
  // Nobody counted yet, and more elderly than adults: both explained.
  await page.fill('#attendees-elderly', '5');
  await page.getByRole('button', { name: 'Lưu buổi học' }).click();
  await page.getByText('Số người tham dự: cần ít nhất 1 người tham dự.').waitFor();
  await page.fill('#attendees-adults', '3');
  await page.fill('#attendees-pupils', '40');
  await page.getByRole('button', { name: 'Lưu buổi học' }).click();
  await page.getByText('Số người tham dự: số người cao tuổi không được lớn hơn số người dân trưởng thành.').waitFor();
  await page.fill('#attendees-adults', '80');
  await page.getByRole('button', { name: 'Lưu buổi học' }).click();

  const card = page.locator('[data-community-session-id]');
  await card.getByText('Chờ đồng bộ').waitFor();
  await card.getByText('120 người tham dự', { exact: false }).waitFor();
  if (process.env.GOCUA_SHOTS) await page.screenshot({ path: `${process.env.GOCUA_SHOTS}/community-sessions.png`, fullPage: true });

  // A reload without a signal keeps it.
  await page.reload();
  await card.getByText('Chờ đồng bộ').waitFor({ timeout: 15_000 });

  // The signal returns: it is pushed, once.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await card.getByText('Đã đồng bộ').waitFor({ timeout: 30_000 });

  const leader = await server.login('totruong');
  const pull = await (await fetch(`${server.base}/api/v1/sync/pull`, { headers: { authorization: `Bearer ${leader}` } })).json();
  const sessions = pull.changes.filter((change) => change.kind === 'community_session');
  assert.equal(sessions.length, 1);
  const session = sessions[0].community_session;
  assert.equal(session.place, 'Nhà văn hóa thôn Đông');
  assert.deepEqual(session.attendees, { officials: 0, pupils: 40, adults: 80, elderly: 5, workers: 0 });
  assert.deepEqual(session.skills, ['safety.scam', 'vneid.level2']);

  // The leader's dashboard: one session, 120 people, and still no household reached.
  const leaderPhone = await phone.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', isMobile: true });
  const leaderPage = await leaderPhone.newPage();
  await signIn(leaderPage, server.base, 'totruong');
  await leaderPage.getByRole('link', { name: 'Báo cáo và xuất dữ liệu' }).click();
  await leaderPage.getByTestId('sessions').getByText('1', { exact: true }).waitFor();
  await leaderPage.getByTestId('attendees').getByText('120', { exact: true }).waitFor();
  await leaderPage.getByTestId('doors').getByText('0', { exact: true }).waitFor();
  if (process.env.GOCUA_SHOTS) await leaderPage.screenshot({ path: `${process.env.GOCUA_SHOTS}/dashboard-sessions.png`, fullPage: true });
  await leaderPhone.close();
  assert.deepEqual(phone.errors, []);
});
