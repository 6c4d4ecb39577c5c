// A team leader voids a visit a volunteer logged by mistake: the leader's
// phone offers no edit of a teammate's visit, only voiding it, and the
// volunteer's phone forgets the visit at its next sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, logNobodyHome, setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('leader', 'volunteer');

async function synced(page) {
  await page.goto(page.url().split('/').slice(0, 3).join('/') + '/');
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 60_000 });
}

test('a leader voids a teammate\'s visit and it leaves the teammate\'s phone', async () => {
  const { server, leader, volunteer } = world;
  // Trang logs a "nobody home" visit on her phone.
  const page = volunteer.page;
  await signIn(page, server.base, 'tinhnguyen1');
  await addHousehold(page, server.base, 'Đặng Văn Phúc', 'Số 9, xóm Trại');
  await logNobodyHome(page);
  await synced(page);
  assert.equal(await page.locator('.visit-card').count(), 1);

  // The leader's phone holds the team's visits; this one is not theirs to edit.
  await signIn(leader.page, server.base, 'totruong');
  await synced(leader.page);
  assert.equal(await leader.page.locator('.visit-card').count(), 0, 'home shows the leader\'s own visits only');
  await leader.page.goto(`${server.base}/households`);
  await leader.page.locator('.household-card', { hasText: 'Đặng Văn Phúc' }).locator('a').click();
  await leader.page.locator('.visit-card a').click();
  await leader.page.getByText('Lượt thăm này do thành viên khác trong tổ ghi').waitFor();
  assert.equal(await leader.page.getByRole('button', { name: 'Lưu lượt thăm' }).count(), 0);
  leader.page.once('dialog', (dialog) => dialog.accept());
  await leader.page.getByRole('button', { name: 'Hủy lượt thăm này (tổ trưởng)' }).click();
  await leader.page.getByTestId('today').waitFor();
  assert.deepEqual(await server.visits(await server.login('totruong')), []);

  // Trang's phone forgets it at its next sync. "Đã đồng bộ tất cả" shows at
  // once after a reload (nothing waits to be sent): the pull follows it.
  await page.reload();
  await synced(page);
  await page.locator('.visit-card').first().waitFor({ state: 'detached', timeout: 60_000 });
  assert.equal(await page.locator('.visit-card').count(), 0);
  assert.deepEqual([...leader.errors, ...volunteer.errors], []);
});

test('a visit voided while its author edits it stays in her form and, if she says so, is kept as a new one', async () => {
  const { server, volunteer } = world;
  const page = volunteer.page;
  await page.goto(`${server.base}/households`);
  await page.locator('.household-card', { hasText: 'Đặng Văn Phúc' }).locator('a').click();
  await logNobodyHome(page);
  await synced(page);
  await page.locator('.visit-card a').first().click();
  const id = new URL(page.url()).pathname.split('/')[2];
  const note = 'Nhà đóng cửa, hẹn quay lại chiều mai';
  await page.fill('#note', note);

  // The leader voids it meanwhile, and Trang's phone syncs when the network comes back.
  const leaderToken = await server.login('totruong');
  const voided = await fetch(`${server.base}/api/v1/visits/${id}`,
    { method: 'DELETE', headers: { authorization: `Bearer ${leaderToken}` } });
  assert.equal(voided.status, 204);
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await page.waitForFunction((id) => localStorage.getItem(`gocua.visit.${id}`) === null, id, { timeout: 60_000 });

  // Her form is still there, with what she typed; saving says what happened.
  assert.equal(await page.inputValue('#note'), note);
  const asked = new Promise((resolve) => {
    page.once('dialog', async (dialog) => {
      resolve(dialog.message());
      await dialog.accept();
    });
  });
  await page.getByRole('button', { name: 'Lưu lượt thăm' }).click();
  assert.match(await asked, /vừa bị xóa trong lúc bạn sửa/);
  await page.getByTestId('today').waitFor();
  await synced(page);
  // A new visit reached the server, nothing is left in conflict, and the voided one stays voided.
  const visits = await server.visits(leaderToken);
  assert.equal(visits.length, 1);
  assert.notEqual(visits[0].id, id);
  assert.equal(visits[0].note, note);
  assert.equal(await page.locator('.visit-card').count(), 1);
  assert.deepEqual(volunteer.errors, []);
});
