// A coordinator sets up the commune from the phone: household counts of the
// villages, a new village and team, a leader's invite for it, an account, a
// skill added and retired, a skill counted for a basic skill, a household's personal data erased on request,
// and all of it in the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

const shots = process.env.GOCUA_SHOTS;

test('a coordinator sets up the commune and erases a household on request', async () => {
  const { server, phone } = world;
  // A volunteer's household to erase later, pushed over the API.
  const volunteer = await server.login('tinhnguyen1');
  const me = await (await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${volunteer}` } })).json();
  const householdId = '0193a3c4-0000-7f80-9a1b-2c3d4e5f6a7b';
  await fetch(`${server.base}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${volunteer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ households: [{ id: householdId, village_id: me.villages[0].id, head_name: 'Lý Thị Mai', address: 'Số 2, xóm Cầu', consent: true }] }),
  });

  const { page } = phone;
  await signIn(page, server.base, 'dieuphoi');
  await page.getByRole('link', { name: 'Trần Thị Hoa' }).click();
  await page.getByRole('link', { name: /Quản lý xã/ }).click();

  // Household counts: Thôn Đông becomes 130; Thôn Trung is added with 88.
  const villages = page.getByTestId('villages');
  await villages.getByLabel('Số hộ – Thôn Đông').fill('130');
  await villages.locator('.row', { hasText: 'Thôn Đông' }).getByRole('button', { name: 'Lưu' }).click();
  await villages.getByText('Đã lưu: Thôn Đông có 130 hộ.').waitFor();
  await villages.getByLabel('Thêm thôn').fill('Thôn Trung');
  await villages.locator('#new-village-households').fill('88');
  await villages.getByRole('button', { name: 'Thêm' }).click();
  await villages.getByLabel('Số hộ – Thôn Trung').waitFor();
  await villages.getByLabel('Thêm thôn').fill('Thôn Đông');
  await villages.getByRole('button', { name: 'Thêm' }).click();
  await villages.getByText('Tên: đã có người dùng').waitFor();

  // A new team, and an account for its leader.
  const teams = page.getByTestId('teams');
  await teams.getByLabel('Thêm tổ').fill('Tổ CNSCĐ thôn Trung');
  await teams.getByRole('button', { name: 'Thêm' }).click();
  await teams.getByText('Tổ CNSCĐ thôn Trung').waitFor();
  const account = page.getByTestId('new-account');
  await page.reload();
  await account.locator('#account-team option', { hasText: 'Tổ CNSCĐ thôn Trung' }).waitFor({ state: 'attached' });
  await account.getByLabel('Họ và tên').fill('Hoàng Văn Nam');
  await account.getByLabel('Tên đăng nhập').fill('totruong.trung');
  await account.locator('#account-role').selectOption('leader');
  await account.locator('#account-team').selectOption({ label: 'Tổ CNSCĐ thôn Trung' });
  await account.getByLabel(/Mật khẩu tạm/).fill('tạm thời 2026');
  await account.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await account.getByText('Đã tạo tài khoản cho Hoàng Văn Nam: tên đăng nhập totruong.trung.').waitFor();

  // A skill the commune teaches, then retired.
  const skills = page.getByTestId('skills');
  await skills.getByLabel('Thêm kỹ năng').fill('Đặt lịch khám bệnh trực tuyến');
  await skills.locator('#skill-group').selectOption({ label: 'Y tế số' });
  await skills.getByLabel('Mã kỹ năng').fill('yte.datlich');
  await skills.getByRole('button', { name: 'Thêm' }).click();
  const added = skills.locator('[data-skill="yte.datlich"]');
  await added.waitFor();
  await added.getByRole('button', { name: 'Ngừng dùng' }).click();
  await added.getByRole('button', { name: 'Dùng lại' }).waitFor();

  // The province counts the commune's smartphone class as "local digital platforms".
  await skills.getByLabel('Tính cho kỹ năng cơ bản của «Sử dụng điện thoại thông minh cơ bản»')
    .selectOption({ label: 'Nền tảng số của địa phương' });
  const coordinator = await server.login('dieuphoi');
  let mapped;
  for (let tries = 0; tries < 50 && mapped !== 'local_platforms'; tries += 1) {
    const catalogue = await (await fetch(`${server.base}/api/v1/catalogue`, { headers: { authorization: `Bearer ${coordinator}` } })).json();
    mapped = catalogue.skills.find((skill) => skill.code === 'device.basics').basic_skill;
    if (mapped !== 'local_platforms') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(mapped, 'local_platforms');
  await shot(page, 'commune-setup');

  // The household asks to be forgotten.
  await page.goto(`${server.base}/`);
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });
  await page.goto(`${server.base}/households/${householdId}`);
  await page.getByRole('heading', { name: 'Lý Thị Mai' }).waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: /Xóa thông tin cá nhân/ }).click();
  await page.getByRole('heading', { name: 'Hộ không cho ghi thông tin' }).waitFor();
  const [erased] = await server.households(volunteer);
  assert.equal(erased.head_name, '');

  // Huy becomes a leader, from the members list, while another account's
  // editor is open: that one keeps what was typed in it.
  await page.goto(`${server.base}/account`);
  const other = page.locator('.member[data-username="tinhnguyen1"]');
  await other.getByRole('button', { name: 'Sửa' }).click();
  const otherPassword = other.getByLabel('Mật khẩu mới (để trống nếu không đổi)');
  await otherPassword.fill('mat-khau-dang-go');
  const huy = page.locator('.member', { hasText: 'Đỗ Quang Huy' });
  await huy.getByRole('button', { name: 'Sửa' }).click();
  await huy.locator('.account-editor select').first().selectOption('leader');
  await huy.getByRole('button', { name: 'Lưu' }).click();
  await huy.getByText('Tổ trưởng').waitFor();
  assert.equal(await huy.locator('.account-editor').count(), 0, "the saved account's editor closes");
  assert.equal(await otherPassword.inputValue(), 'mat-khau-dang-go', 'the other open editor keeps what was typed');

  // Everything is in the audit log.
  await page.goto(`${server.base}/commune`);
  const audit = page.getByTestId('audit');
  for (const action of ['sửa tài khoản', 'xóa thông tin cá nhân của hộ', 'tạo tài khoản', 'thêm tổ', 'thêm thôn', 'sửa thôn', 'thêm kỹ năng', 'ghi hộ mới']) {
    await audit.getByText(action, { exact: false }).first().waitFor();
  }
  await shot(page, 'commune-audit');
  assert.deepEqual(phone.errors, []);
});

test('a form being filled in on a staff screen survives a sync in the background', async () => {
  const { server, phone } = world;
  const { page, context } = phone;
  await page.goto(`${server.base}/commune`);
  const account = page.getByTestId('new-account');
  await account.getByLabel('Họ và tên').fill('Đinh Thị Lụa');
  // Back online, the phone syncs and reads the signed-in user's profile again.
  const profileRead = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/me' && response.ok());
  await context.setOffline(true);
  await context.setOffline(false);
  await profileRead;
  // The profile is the sync's last read; the app keeps it a moment after it arrives.
  await page.waitForTimeout(500);
  assert.equal(await account.getByLabel('Họ và tên').inputValue(), 'Đinh Thị Lụa', 'what was typed is still there');
  assert.deepEqual(phone.errors, []);
});

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}
