// The city's Department of Science and Technology opens Gõ Cửa on a phone:
// it lands on its communes' progress — figures, never a household — which
// stay readable offline, and the notebook's screens are not its to open.
// It adds a commune and invites its new coordinator, who joins by the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setUpServerAndPhones, signIn, addHousehold, logNobodyHome } from './server.mjs';

const world = setUpServerAndPhones('volunteer', 'department', 'newcomer');

test('the province account sees its communes, offline too, and never a household', async () => {
  const { server, volunteer, department } = world;
  // A volunteer of Kiến Minh knocks on a door today.
  await signIn(volunteer.page, server.base, 'tinhnguyen1');
  await addHousehold(volunteer.page, server.base, 'Nguyễn Thị Hồng Nhung', 'Số 128, ngõ 7, đường Nguyễn Trãi');
  await logNobodyHome(volunteer.page);
  await volunteer.page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });

  const { page, context } = department;
  await page.goto(server.base);
  await page.fill('#username', 'so-khcn');
  await page.fill('#password', 'gocua-demo');
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Tiến độ các xã – Hải Phòng' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/province', 'home for the Department is its province');
  const kienMinh = page.getByTestId('commune-progress').filter({ hasText: 'Kiến Minh' });
  await kienMinh.getByText('Hộ đã đến').waitFor();
  assert.match(await kienMinh.textContent(), /1\/435/, 'one of the commune\'s 435 households reached');
  assert.equal(await kienMinh.getByTestId('quiet').count(), 0, 'a visit today: not quiet');
  await kienMinh.getByTestId('report-standing').getByText(/^(Chưa nộp|Quá hạn, chưa nộp)$/).waitFor();
  await page.getByRole('img', { name: 'Hộ đã đến / tổng số hộ, theo xã' }).waitFor();
  await page.selectOption('#sort-communes', { label: 'Tỷ lệ hộ đã đến' });
  await kienMinh.waitFor();
  assert.ok(!(await page.content()).includes('Nguyễn Thị Hồng Nhung'), 'no household reaches the province');

  // The quarter's consolidated report: nobody has submitted yet; printable, and as Excel.
  const consolidated = page.getByTestId('consolidated');
  await consolidated.getByRole('button', { name: 'Xem báo cáo tổng hợp' }).click();
  await consolidated.getByRole('heading', { name: /^Báo cáo tổng hợp kết quả Quý .* – Hải Phòng$/ }).waitFor();
  assert.equal((await consolidated.getByTestId('not-submitted').textContent()).trim(), 'Xã chưa nộp báo cáo: Kiến Minh');
  await consolidated.getByRole('button', { name: 'In báo cáo (A4)' }).waitFor();
  const [workbook] = await Promise.all([
    page.waitForEvent('download'),
    consolidated.getByRole('button', { name: 'Tải Excel (XLSX)' }).click(),
  ]);
  assert.match(workbook.suggestedFilename(), /^bao-cao-tong-hop-\d{8}\.xlsx$/);
  assert.equal(readFileSync(await workbook.path()).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('commune-progress').first().isVisible(), false, 'printing shows the report alone');
  const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, 'one A4 page');
  await page.emulateMedia({ media: 'screen' });

  // The notebook's screens lead back to the province's view.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.goto(`${server.base}/visits/new`);
  await page.getByRole('heading', { name: 'Tiến độ các xã – Hải Phòng' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/province');

  // Offline, the last figures are still there, with the time they were counted.
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('commune-progress').filter({ hasText: 'Kiến Minh' }).waitFor();
  await page.getByTestId('figures-time').waitFor();
  await page.getByRole('status').first().waitFor();
  await context.setOffline(false);
  assert.deepEqual(department.errors, []);
  assert.deepEqual(volunteer.errors, []);
});

test('the Department adds a commune and invites its coordinator, who joins it by the link', async () => {
  const { server, department, newcomer } = world;
  const { page } = department;
  await page.goto(`${server.base}/province`);
  await page.getByTestId('commune-progress').filter({ hasText: 'Kiến Minh' }).waitFor();
  const invites = page.getByTestId('coordinator-invites');
  await invites.getByRole('button', { name: 'Tạo mã mời' }).click();
  await invites.getByRole('alert').getByText('Chọn xã').waitFor();
  // Kiến Minh has its coordinator: the Department is told its accounts are hers to make.
  await page.selectOption('#invite-commune', { label: 'Kiến Minh' });
  await invites.getByRole('button', { name: 'Tạo mã mời' }).click();
  await invites.getByRole('alert').getByText(/Xã này đã có điều phối viên/).waitFor();

  // A commune new to the city, added from the screen: a name the server has is refused, with what to fix.
  const adding = page.getByTestId('new-commune');
  await adding.getByLabel('Tên xã/phường').fill('Kiến Minh');
  await adding.getByRole('button', { name: 'Thêm xã/phường' }).click();
  await adding.getByRole('alert').getByText(/Tên: đã có người dùng/).waitFor();
  await adding.getByLabel('Tên xã/phường').fill('  Kiến   Hải ');
  await adding.getByRole('button', { name: 'Thêm xã/phường' }).click();
  await adding.getByText('Đã thêm Kiến Hải. Hãy mời điều phối viên của xã ở phần dưới.').waitFor();
  assert.equal(await adding.getByLabel('Tên xã/phường').inputValue(), '', 'the form empties for the next one');
  // It is in the province's figures at once, with nothing logged, and chosen for the invite.
  await page.getByTestId('commune-progress').filter({ hasText: 'Kiến Hải' }).getByText(/Chưa nộp|Quá hạn, chưa nộp/).waitFor();
  await page.waitForFunction(() => {
    const select = document.querySelector('#invite-commune');
    return select && select.selectedOptions[0]?.textContent === 'Kiến Hải';
  });
  await invites.getByRole('button', { name: 'Tạo mã mời' }).click();
  const code = (await invites.getByTestId('invite-code').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await invites.locator('.qr svg').waitFor();
  await invites.getByText(/^Kiến Hải · Do Vũ Thị Thanh tạo/).waitFor();
  const link = await invites.locator('.invite-link a').getAttribute('href');

  await newcomer.page.goto(link);
  await newcomer.page.fill('#display-name', 'Hoàng Thị Mai');
  await newcomer.page.fill('#username', 'mai.hoang');
  await newcomer.page.fill('#password', 'mật khẩu của Mai');
  await newcomer.page.click('button[type=submit]');
  await newcomer.page.getByRole('link', { name: 'Hoàng Thị Mai' }).click();
  await newcomer.page.getByText(/mai\.hoang · Điều phối viên xã · Kiến Hải/).waitFor();

  await page.reload();
  await page.getByTestId('coordinator-invites').getByRole('button', { name: 'Tạo mã mời' }).waitFor();
  assert.equal(await page.getByText(/^Kiến Hải · Do Vũ Thị Thanh tạo/).count(), 0, 'used, the invite is no longer open');
  assert.deepEqual(department.errors, []);
  assert.deepEqual(newcomer.errors, []);
});
