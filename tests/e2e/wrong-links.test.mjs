// A wrong address never leaves a white page: a mistyped link, an old
// bookmark, a link a chat app cut short, a record this phone does not hold —
// signed out and in, online and offline — each says so in Vietnamese and
// leads home, and an edit page never turns into a new record's form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, setUpServerAndPhones, signIn } from './server.mjs';

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
  // A visit's link naming a household this phone does not hold says so, and offers the choice.
  for (const household of ['garbage', '0192f1a0-0000-7000-8000-000000000000']) {
    await page.goto(`${server.base}/visits/new?household=${household}`);
    await page.getByRole('status').getByText('Không tìm thấy trên máy này hộ mà đường dẫn nhắc tới. Hãy chọn hộ bên dưới.').waitFor();
    await page.getByRole('searchbox', { name: 'Chọn hộ (gõ tên hoặc địa chỉ để tìm)' }).waitFor();
  }
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

test('a panic leaves the recovery screen, with what the phone holds untouched', async () => {
  const { server, phone } = world;
  const { context, page } = phone;
  // Signed in (the tests above) with the demo's notebook on the phone; its
  // own tab leaves, so the crashing one is the only app writing to storage.
  await page.goto(server.base);
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor({ timeout: 15_000 });
  await page.goto('about:blank');

  // A real panic of the release build: the app's start expects index.html's
  // #app element (src/lib.rs), and this page's document hides it.
  const crashing = await context.newPage();
  const pageErrors = [];
  crashing.on('pageerror', (error) => pageErrors.push(error.message));
  await crashing.addInitScript(() => {
    window.storedAtStart = JSON.stringify(Object.entries(localStorage).sort());
    const find = Document.prototype.getElementById;
    Document.prototype.getElementById = function (id) {
      return id === 'app' ? null : find.call(this, id);
    };
  });
  await crashing.goto(server.base);
  await crashing.getByRole('heading', { name: 'Gõ Cửa vừa gặp lỗi' }).waitFor({ timeout: 15_000 });
  assert.match(await crashing.getByRole('alert').innerText(), /vẫn còn nguyên trên điện thoại/);
  const restart = crashing.getByRole('link', { name: 'Mở lại ứng dụng' });
  assert.equal(await restart.getAttribute('href'), '/', 'a plain link: no WASM runs after a panic');
  assert.ok(pageErrors.some((message) => /unreachable/.test(message)), `the WASM stopped: ${pageErrors}`);
  const storage = await crashing.evaluate(() => ({
    atStart: window.storedAtStart,
    now: JSON.stringify(Object.entries(localStorage).sort()),
  }));
  assert.ok(storage.atStart.includes('["gocua.session",'), 'the phone held its signed-in notebook');
  assert.equal(storage.now, storage.atStart, 'nothing stored is touched');
  await crashing.close();

  // The app starts again from the same phone's notebook.
  await page.goto(server.base);
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor({ timeout: 15_000 });
});

test('a browser that blocks site data gets the app and is told why it cannot keep records', async () => {
  const { server, phone } = world;
  // "Block all site data", or a web view without DOM storage: reaching local storage throws.
  const context = await phone.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.base);
  await page.fill('#username', 'tinhnguyen1');
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.getByText('Trình duyệt không cho lưu dữ liệu').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});
