// A leader invites a new volunteer, who joins by the link on their phone;
// the phone is shared and then lost: another user cannot push the
// volunteer's unsynced visit as their own, the leader revokes the lost
// phone, the phone is told and keeps the visit until the volunteer signs in
// again, and signing out removes the households' personal data from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn, DEMO_PASSWORD } from './server.mjs';

const world = setUpServerAndPhones('leader', 'phone');

const shots = process.env.GOCUA_SHOTS;

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** The records Gõ Cửa keeps in the phone's local storage whose JSON mentions `text`. */
async function storedWith(page, text) {
  return page.evaluate((needle) => Object.keys(localStorage)
    .filter((key) => key.startsWith('gocua.') && (localStorage.getItem(key) ?? '').includes(needle)), text);
}

test('invite, join, shared phone, lost phone, sign-out', async () => {
  const { server, leader, phone } = world;
  // The leader creates an invite on the account screen.
  await signIn(leader.page, server.base, 'totruong');
  await leader.page.getByRole('link', { name: 'Lê Văn Minh' }).click();
  await leader.page.getByRole('button', { name: 'Tạo mã mời' }).click();
  const code = (await leader.page.getByTestId('invite-code').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await leader.page.locator('.invite .qr svg').waitFor();
  const link = await leader.page.locator('.invite-link a').getAttribute('href');
  assert.equal(link, `${server.base}/join?code=${code.replace('-', '')}`);
  await shot(leader.page, 'account-leader-invite');

  // The new volunteer opens the link: the code is filled in.
  const { page, context } = phone;
  await page.goto(link);
  assert.equal(await page.inputValue('#code'), code.replace('-', ''));
  await page.fill('#display-name', 'Vũ Thị Lan');
  await page.fill('#username', 'lan.vu');
  await page.fill('#password', 'ngắn');
  await page.click('button[type=submit]');
  await page.getByText('Mật khẩu: quá ngắn, cần ít nhất 8 ký tự.').waitFor();
  await shot(page, 'join-error');
  await page.fill('#password', 'mật khẩu của Lan');
  await page.click('button[type=submit]');
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
  await page.getByRole('link', { name: 'Vũ Thị Lan' }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });

  // Offline in the village, Lan records a household and a "nobody home" visit.
  await context.setOffline(true);
  await page.goto(`${server.base}/households/new`).catch(() => {});
  await page.selectOption('#household-village', { label: 'Thôn Nam' });
  await page.getByLabel('Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại').check();
  await page.fill('#head-name', 'Hoàng Văn Sơn');
  await page.fill('#address', 'Số 4, xóm Bến');
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Hoàng Văn Sơn' }).waitFor();
  await page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).click();
  await page.getByRole('button', { name: 'Không có ai ở nhà' }).click();
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();

  // She starts another visit, writes a word of it, and leaves it unsaved.
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).click();
  await page.fill('#note', 'Hẹn chiều mai');

  // She signs out (still offline): warned that 2 records stay on the phone and the visit being written goes.
  const warnings = [];
  page.on('dialog', (dialog) => {
    warnings.push(dialog.message());
    dialog.accept();
  });
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.locator('#username').waitFor();
  assert.match(warnings[0], /Còn 2 bản ghi chưa gửi được/);
  assert.match(warnings[0], /Lượt thăm đang ghi dở \(chưa lưu\) sẽ bị bỏ\. Vẫn đăng xuất\?$/);
  assert.equal((await storedWith(page, 'Hoàng Văn Sơn')).length, 1, 'her unsynced household stays');

  // A teammate borrows the phone: refused while Lan's records wait.
  await context.setOffline(false);
  await page.fill('#username', 'tinhnguyen1');
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.getByText('Máy này còn 2 bản ghi chưa đồng bộ của Vũ Thị Lan').waitFor();
  await shot(page, 'login-refused-other-user');

  // A newcomer given an invite tries to join on it: refused before the invite is used up.
  await leader.page.getByRole('button', { name: 'Tạo mã mời' }).click();
  await leader.page.getByTestId('invite-code').filter({ hasNotText: code }).waitFor();
  const secondLink = await leader.page.locator('.invite-link a').getAttribute('href');
  const openInvites = async () => (await (await fetch(`${server.base}/api/v1/invites`, {
    headers: { authorization: `Bearer ${await server.login('totruong')}` },
  })).json()).invites.length;
  const invitesBefore = await openInvites();
  await page.goto(secondLink);
  await page.fill('#display-name', 'Đặng Văn Tú');
  await page.fill('#username', 'tu.dang');
  await page.fill('#password', 'mật khẩu của Tú');
  await page.click('button[type=submit]');
  await page.getByText('Máy này còn 2 bản ghi chưa đồng bộ của Vũ Thị Lan').waitFor();
  assert.equal(await openInvites(), invitesBefore, 'the invite is still unused');
  await page.goto(`${server.base}/login`);

  // Lan signs in again on it; meanwhile offline again, she records one more visit.
  await page.fill('#username', 'lan.vu');
  await page.fill('#password', 'mật khẩu của Lan');
  await context.setOffline(true);
  await page.click('button[type=submit]');
  await page.getByText('Lần đăng nhập đầu tiên cần có mạng', { exact: false }).first().waitFor();
  await context.setOffline(false);
  await page.click('button[type=submit]');
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });
  const lan = await server.login('totruong');
  assert.ok((await server.households(lan)).some((h) => h.head_name === 'Hoàng Văn Sơn'), 'her household reached the server under her team');

  // The phone is lost, with a visit recorded offline on it.
  await context.setOffline(true);
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).click();
  await page.getByPlaceholder('Chọn hộ').fill('hoang van son');
  await page.locator('.pick', { hasText: 'Hoàng Văn Sơn' }).click();
  await page.getByRole('button', { name: 'Không có ai ở nhà' }).click();
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();

  // The leader revokes it from the members list.
  await leader.page.reload();
  const member = leader.page.locator('.member', { hasText: 'Vũ Thị Lan' });
  await member.getByRole('button', { name: 'Thiết bị' }).click();
  // One session: the one opened by joining was ended once the phone was back online,
  // although she signed out of it offline.
  const devices = member.locator('.device');
  await devices.first().waitFor();
  assert.equal(await devices.count(), 1, 'the session signed out of offline was ended later');
  assert.equal(await page.evaluate(() => localStorage.getItem('gocua.ended_sessions')), null);
  leader.page.once('dialog', (dialog) => dialog.accept());
  await devices.first().getByRole('button', { name: 'Thu hồi' }).click();
  await devices.first().waitFor({ state: 'detached' });
  await shot(leader.page, 'account-leader-members');

  // Back in signal, the phone is told at its next sync, and keeps the visit.
  await context.setOffline(false);
  await page.getByText('Thiết bị này đã bị thu hồi quyền truy cập').waitFor({ timeout: 60_000 });
  await shot(page, 'login-revoked');
  const pendingVisits = await page.evaluate(() => Object.keys(localStorage)
    .filter((key) => key.startsWith('gocua.visit.') && localStorage.getItem(key).includes('"state":"pending"')).length);
  assert.equal(pendingVisits, 1, 'the unsynced visit is kept on the revoked phone');

  // Lan signs in again: the visit goes up; then she signs out, and no household's data is left.
  await page.fill('#username', 'lan.vu');
  await page.fill('#password', 'mật khẩu của Lan');
  await page.click('button[type=submit]');
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });
  const visits = await server.visits(await server.login('totruong'));
  assert.equal(visits.filter((v) => v.outcome === 'nobody_home').length, 2, 'both visits, once each');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.locator('#username').waitFor();
  assert.deepEqual(await storedWith(page, 'Hoàng Văn Sơn'), [], 'no household personal data stays after sign-out');
  assert.equal(warnings.length, 1, 'nothing unsynced, no warning the second time');
  assert.deepEqual([...leader.errors, ...phone.errors], []);
});
