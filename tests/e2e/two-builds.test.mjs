// The app's two builds (src/builds.rs): a volunteer's phone downloads only
// the volunteer's build; a staff screen, or one a volunteer opens rarely,
// brings the full one, on demand, or from the service worker's copy
// offline; a staff screen that cannot be
// fetched says it needs the network once; a leader gets the full build at
// once, and again at every open. Before either starts, index.html shows
// what the sign-in page will.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, launchPhone, signIn, startServer } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

/** Walks `phone` through `walk`, and closes it whatever happens. */
async function onPhone(phone, walk) {
  try {
    await walk(phone);
  } finally {
    await phone.browser.close();
  }
}

/** A phone without a service worker, noting which files of the full build it fetched. */
async function phoneWithoutServiceWorker() {
  const phone = await launchPhone({ serviceWorkers: 'block' });
  phone.fullBuildFetched = 0;
  phone.page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/gocua-full')) phone.fullBuildFetched += 1;
  });
  return phone;
}

/** Which build the loader started on `page` ('volunteer' or 'full'), once the app runs. */
const runningBuild = (page) => page.evaluate(() => document.documentElement.dataset.build);

/** Signs in through the sign-in screen, without waiting for a service worker. */
async function signInHere(page, username, home) {
  await page.goto(server.base);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await home.waitFor({ timeout: 30_000 });
}

test('a volunteer downloads only the volunteer build, and a staff screen brings the full one', async () => {
  await onPhone(await phoneWithoutServiceWorker(), async (phone) => {
    const { page } = phone;
    await signInHere(page, 'tinhnguyen1', page.getByRole('link', { name: '+ Ghi lượt thăm' }));
    await page.reload();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.equal(await runningBuild(page), 'volunteer');
    assert.equal(phone.fullBuildFetched, 0, 'sign-in and home: nothing of the full build');

    // The top bar's name opens the account screen: the full build starts in its place.
    await page.getByRole('link', { name: 'Phạm Thu Trang' }).click();
    await page.getByRole('heading', { name: 'Thiết bị đang đăng nhập' }).waitFor({ timeout: 30_000 });
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.equal(await runningBuild(page), 'full');
    await page.getByRole('link', { name: 'Gõ Cửa' }).click();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.deepEqual(phone.errors, []);
  });
});

test('a volunteer\'s rarely opened screens — community sessions, the phone\'s data — come with the full build', async () => {
  await onPhone(await phoneWithoutServiceWorker(), async (phone) => {
    const { page } = phone;
    await signInHere(page, 'tinhnguyen1', page.getByRole('link', { name: '+ Ghi lượt thăm' }));
    assert.equal(await runningBuild(page), 'volunteer');

    await page.getByRole('link', { name: 'Buổi học cộng đồng' }).click();
    await page.getByRole('heading', { name: 'Buổi học cộng đồng' }).waitFor({ timeout: 30_000 });
    assert.equal(await runningBuild(page), 'full');
    await page.getByRole('link', { name: '+ Ghi buổi học cộng đồng' }).click();
    await page.getByRole('heading', { name: 'Ghi buổi học cộng đồng' }).waitFor();

    // A new tab starts on the volunteer's build again; its data screen brings the full one too.
    const tab = await page.context().newPage();
    await tab.goto(server.base);
    await tab.getByRole('link', { name: 'Dữ liệu trên máy và sao lưu' }).waitFor();
    assert.equal(await runningBuild(tab), 'volunteer');
    await tab.getByRole('link', { name: 'Dữ liệu trên máy và sao lưu' }).click();
    await tab.getByRole('heading', { name: 'Dữ liệu trên máy' }).waitFor({ timeout: 30_000 });
    assert.equal(await runningBuild(tab), 'full');
    assert.deepEqual(phone.errors, []);
  });
});

test('a staff screen that cannot be fetched says it needs the network once, and leads home', async () => {
  await onPhone(await phoneWithoutServiceWorker(), async (phone) => {
    const { page } = phone;
    await page.route('**/gocua-full*', (route) => route.abort('internetdisconnected'));
    await signInHere(page, 'tinhnguyen1', page.getByRole('link', { name: '+ Ghi lượt thăm' }));
    await page.goto(`${server.base}/account`);
    await page.getByRole('heading', { name: 'Màn hình này cần mạng một lần' }).waitFor({ timeout: 30_000 });
    // The leaders' and coordinators' screens say at once whom they are for: nothing to fetch.
    for (const path of ['/reports', '/commune']) {
      await page.goto(`${server.base}${path}`);
      await page.getByRole('heading', { name: 'Màn hình này không dành cho tài khoản của bạn' }).waitFor({ timeout: 30_000 });
    }
    await page.getByRole('link', { name: 'Về trang chủ' }).click();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.deepEqual(phone.errors, []);
  });
});

test('a leader gets the full build after signing in and at every open, until signing out', async () => {
  await onPhone(await phoneWithoutServiceWorker(), async (phone) => {
    const { page } = phone;
    await signInHere(page, 'totruong', page.getByRole('link', { name: 'Báo cáo' }));
    assert.equal(await runningBuild(page), 'full', 'signed in on the volunteer build, moved to the full one');
    // The next open starts the full build at once: no second page load.
    let loads = 0;
    page.on('load', () => { loads += 1; });
    await page.goto(`${server.base}/`);
    await page.getByRole('link', { name: 'Báo cáo' }).waitFor();
    assert.equal(await runningBuild(page), 'full');
    assert.equal(loads, 1, 'the next open starts the full build at once');
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByRole('heading', { name: 'Báo cáo', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.locator('#username').waitFor();
    await page.reload();
    await page.locator('#username').waitFor();
    assert.equal(await runningBuild(page), 'volunteer', 'signed out: the volunteer build again');
    assert.deepEqual(phone.errors, []);
  });
});

test('after install, a staff screen opens offline from the service worker copy', async () => {
  await onPhone(await launchPhone(), async ({ page, context, errors }) => {
    await signIn(page, server.base, 'tinhnguyen1');
    // The service worker keeps both builds.
    await page.waitForFunction(async () => (await caches.match('/gocua-full_bg.wasm')) !== undefined, null,
      { timeout: 30_000 });
    await context.setOffline(true);
    await page.goto(`${server.base}/account`);
    await page.getByRole('heading', { name: 'Thiết bị đang đăng nhập' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
  });
});

test('before either build starts, the first screen already shows the sign-in page\'s brand and intro', async () => {
  await onPhone(await launchPhone({ javaScriptEnabled: false }), async ({ page }) => {
    await page.goto(server.base);
    const brand = await page.locator('#app .brand').innerText();
    const intro = await page.locator('#app .intro').innerText();
    await onPhone(await launchPhone(), async (started) => {
      await started.page.goto(server.base);
      // Signed out, the app starts at the first touch (tests/e2e/first-sign-in.test.mjs).
      await started.page.tap('#username');
      await started.page.waitForFunction(() => performance.getEntriesByName('gocua:mount').length > 0);
      // index.html says what the sign-in page says (i18n::TAGLINE, i18n::INTRO), and that it is opening.
      assert.equal(await started.page.locator('#app .brand').innerText(), brand);
      assert.equal(intro, `${await started.page.locator('#app .intro').innerText()}\nĐang mở sổ tay…`);
    });
  });
});
