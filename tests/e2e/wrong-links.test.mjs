// A wrong address never leaves a white page: a mistyped link, an old
// bookmark, a link a chat app cut short, a record this phone does not hold —
// signed out and in, online and offline — each says so in Vietnamese and
// leads home, and an edit page never turns into a new record's form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

const UNKNOWN = ['/typo', '/visits', '/households/x/y/z', '/%E2%82%AC%ZZ', '/login/extra?x=%ZZ'];
const MISSING = [
  ['/households/not-an-id', 'Không tìm thấy hộ này'],
  ['/households/0192f1a0-0000-7000-8000-000000000000', 'Không tìm thấy hộ này'],
  ['/households/not-an-id/edit', 'Không tìm thấy hộ này'],
  ['/visits/x/edit', 'Không tìm thấy lượt thăm này'],
  ['/visits/0192f1a0-0000-7000-8000-000000000000/edit', 'Không tìm thấy lượt thăm này'],
  ['/community-sessions/zz/edit', 'Không tìm thấy buổi học này'],
];

/** Opens `path` and expects `heading`, a way home, and no error in the page. */
async function expectNotFound(phone, base, path, heading) {
  phone.errors.length = 0;
  await phone.page.goto(`${base}${path}`);
  await phone.page.getByRole('heading', { name: heading }).waitFor({ timeout: 15_000 });
  await phone.page.getByRole('link', { name: 'Về trang chủ' }).waitFor();
  assert.deepEqual(phone.errors, [], `${path}: errors in the page`);
}

test('unknown addresses say so and lead home, signed out and signed in, online and offline', async () => {
  const { server, phone } = world;
  const { page, context } = phone;
  for (const path of UNKNOWN) await expectNotFound(phone, server.base, path, 'Không tìm thấy trang này');
  // Signed out, home is the sign-in page.
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await page.locator('#username').waitFor();

  await signIn(page, server.base, 'tinhnguyen1');
  for (const path of UNKNOWN) await expectNotFound(phone, server.base, path, 'Không tìm thấy trang này');
  for (const [path, heading] of MISSING) await expectNotFound(phone, server.base, path, heading);
  // The top bar is there too, its name a way home.
  await page.getByRole('link', { name: 'Gõ Cửa' }).click();
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();

  await context.setOffline(true);
  for (const path of ['/typo', '/households/not-an-id', '/visits/x/edit']) {
    const heading = path === '/typo' ? 'Không tìm thấy trang này' : MISSING.find(([p]) => p === path)[1];
    await expectNotFound(phone, server.base, path, heading);
  }
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
  await context.setOffline(false);
});

test('every screen has a way home', async () => {
  const { server, phone } = world;
  const { page } = phone;
  const screens = ['/households', '/households/new', '/visits/new', '/community-sessions', '/community-sessions/new',
    '/data', '/account', '/households/?x=1'];
  for (const path of screens) {
    phone.errors.length = 0;
    await page.goto(`${server.base}${path}`);
    await page.getByRole('link', { name: 'Gõ Cửa' }).click();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor({ timeout: 15_000 });
    assert.equal(new URL(page.url()).pathname, '/', `${path}: home`);
    assert.deepEqual(phone.errors, [], `${path}: errors in the page`);
  }
  // The app's own file, as a home-screen shortcut or an old bookmark may name it, is home.
  await page.goto(`${server.base}/index.html`);
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor({ timeout: 15_000 });
  assert.equal(new URL(page.url()).pathname, '/');
  // An invite link opened while signed in says who is, and leads home.
  await page.goto(`${server.base}/join?code=ABCDE23456`);
  await page.getByTestId('join-signed-in').getByRole('link', { name: 'Về trang chủ' }).click();
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor({ timeout: 15_000 });
});
