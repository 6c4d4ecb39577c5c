// The city's Department of Science and Technology opens Gõ Cửa on a phone:
// it lands on its communes' progress — figures, never a household — which
// stay readable offline, and the notebook's screens are not its to open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn, addHousehold, logNobodyHome } from './server.mjs';

const world = setUpServerAndPhones('volunteer', 'department');

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
