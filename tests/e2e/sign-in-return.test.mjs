// A link opened on a signed-out phone — a household's page shared in the
// team's chat, a bookmark — leads there once the volunteer has signed in,
// never off the app; the sign-in page opened while signed in says who is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, DEMO_PASSWORD, setUpServerAndPhones } from './server.mjs';

const world = setUpServerAndPhones('phone');

async function submitSignIn(page, username) {
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
}

test('the page asked for while signed out opens after sign-in', async () => {
  const { server, phone } = world;
  const { page } = phone;
  await page.goto(`${server.base}/households/new`);
  await page.locator('#username').waitFor();
  assert.equal(new URL(page.url()).search, '?next=%2Fhouseholds%2Fnew');
  await submitSignIn(page, 'tinhnguyen1');
  await page.locator('#household-village').waitFor();
  assert.equal(new URL(page.url()).pathname, '/households/new');

  // Its page shows where the household is.
  await addHousehold(page, server.base, 'Hà Văn Sơn', 'Số 9, xóm Chợ');
  await page.getByTestId('household-place').filter({ hasText: 'Thôn Đông' }).waitFor();
  assert.deepEqual(phone.errors, []);
});

test('the sign-in page says who is signed in, and a link cannot lead off the app', async () => {
  const { server, phone } = world;
  const { page } = phone;
  await page.goto(`${server.base}/login?next=${encodeURIComponent('//evil.example/x')}`);
  await page.getByTestId('already-signed-in')
    .filter({ hasText: 'Máy này đang đăng nhập với tài khoản Phạm Thu Trang' }).waitFor();
  await page.getByTestId('already-signed-in').getByRole('link', { name: 'Về trang chủ' }).waitFor();
  await submitSignIn(page, 'tinhnguyen1');
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
  assert.equal(new URL(page.url()).origin, server.base);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(phone.errors, []);
});
