// A signed-out phone opening the app gets the sign-in form with the first
// paint, from index.html itself; the app's WASM is fetched meanwhile but
// starts only at the first touch, so nothing blocks a phone nobody uses yet.
// When the app starts, its own sign-in page takes the place of that form
// without the volunteer feeling it: what she typed, where the cursor was,
// and a "Đăng nhập" pressed early all carry over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, launchPhone, setUpServerAndPhones } from './server.mjs';

const world = setUpServerAndPhones('phone');

/**
 * A phone of its own whose service worker is blocked, so that holding the
 * WASM back (`holdTheApp`) holds it: a page under a service worker would
 * take its copy. Closed after `walk`.
 */
async function onPhoneWithoutServiceWorker(walk) {
  const phone = await launchPhone({ serviceWorkers: 'block' });
  try {
    await walk(phone);
  } finally {
    await phone.browser.close();
  }
}

/** Whether the app's WASM has started (src/lib.rs marks it). */
const started = (page) => page.evaluate(() => performance.getEntriesByName('gocua:start').length > 0);
const mounted = (page) => page.waitForFunction(() => performance.getEntriesByName('gocua:mount').length > 0);

/** Holds the app's WASM back until the returned function is called. */
async function holdTheApp(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(/_bg\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Types the demo volunteer's name and password and presses Enter, as a thumb would. */
async function typeAndEnter(page) {
  await page.fill('#username', 'tinhnguyen1');
  await page.fill('#password', DEMO_PASSWORD);
  await page.keyboard.press('Enter');
}

/** The sign-in form's fields and labels as the browser and a password manager read them. */
const fields = (page) => page.$$eval('#app form label, #app form input', (elements) => elements.map((element) =>
  ['for', 'id', 'type', 'autocomplete', 'autocapitalize'].map((name) => element.getAttribute(name)).join(' ')));

test('signed out, the sign-in form is there at once and the app waits for a touch', async () => {
  const { server, phone } = world;
  const { page } = phone;
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto(server.base);
  await page.locator('#first-sign-in').waitFor();
  const firstScreen = await page.locator('#app main').innerText();
  const firstFields = await fields(page);
  assert.doesNotMatch(firstScreen, /Đang mở sổ tay/);
  // The WASM is on its way, but nothing runs until the phone is touched.
  await page.waitForFunction(() => document.documentElement.dataset.build === 'volunteer');
  await page.waitForTimeout(1_500);
  assert.ok(fetched.some((path) => path.endsWith('_bg.wasm')), `the WASM was fetched: ${fetched.join(', ')}`);
  assert.equal(await started(page), false);

  await page.tap('#username');
  await mounted(page);
  await page.locator('#first-sign-in').waitFor({ state: 'detached' });
  // The app's sign-in page says word for word what index.html's said (src/pages/login.rs, i18n).
  assert.equal(await page.locator('#app main').innerText(), firstScreen);
  assert.deepEqual(await fields(page), firstFields);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(phone.errors, []);
});

test('what is typed before the app starts carries over, and an early "Đăng nhập" signs in', async () => {
  await onPhoneWithoutServiceWorker(async (phone) => {
    const { page } = phone;
    const release = await holdTheApp(page);
    await page.goto(`${world.server.base}/login`);
    // Were the browser ever to send index.html's form itself, nothing typed would travel: no field has a name.
    assert.equal(await page.locator('#first-sign-in [name]').count(), 0);
    await page.evaluate(() => { window.stillThisPage = true; });
    await page.fill('#username', 'tinhnguyen1');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#first-sign-in button');
    await page.locator('#first-sign-in button', { hasText: 'Đang đăng nhập…' }).waitFor();
    assert.equal(await started(page), false, 'the WASM is still held back');
    assert.equal(await page.evaluate(() => window.stillThisPage), true, 'the press is kept, the page not sent');

    release();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');

    // Signed in, the phone opens straight into the app, without the first screen's form or a touch.
    await page.reload();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-sign-in')), false);
    assert.deepEqual(phone.errors, []);
  });
});

test('the cursor stays in the field while the app takes the form over', async () => {
  await onPhoneWithoutServiceWorker(async (phone) => {
    const { page } = phone;
    const release = await holdTheApp(page);
    await page.goto(`${world.server.base}/login?next=%2Fhouseholds`);
    await page.tap('#username');
    await page.keyboard.type('tinh1');
    await page.keyboard.press('ArrowLeft');
    release();
    await mounted(page);
    await page.locator('#first-sign-in').waitFor({ state: 'detached' });
    // Typing goes on in the app's own field, where the cursor was.
    await page.keyboard.type('nguyen');
    assert.equal(await page.inputValue('#username'), 'tinhnguyen1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    // The page asked for opens once signed in.
    await page.getByRole('heading', { name: 'Hộ gia đình' }).first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/households');
    assert.deepEqual(phone.errors, []);
  });
});

test('keys typed while the app takes the form over stay in order', async () => {
  await onPhoneWithoutServiceWorker(async (phone) => {
    const { page } = phone;
    const release = await holdTheApp(page);
    await page.goto(`${world.server.base}/login`);
    await page.evaluate(() => {
      window.keyTimes = [];
      document.addEventListener('keydown', () => window.keyTimes.push(performance.now()), true);
    });
    await page.tap('#username');
    await page.keyboard.type('tinh');
    release();
    await page.waitForFunction(() => performance.getEntriesByName('gocua:start').length > 0);
    // Typing on, a key every 15 ms, through the app's start, mount and first frame.
    await page.keyboard.type('nguyen1', { delay: 15 });
    await mounted(page);
    const typedAfterMount = await page.evaluate(() => {
      const mount = performance.getEntriesByName('gocua:mount')[0].startTime;
      return window.keyTimes.filter((time) => time > mount).length;
    });
    assert.equal(await page.inputValue('#username'), 'tinhnguyen1', `${typedAfterMount} keys after the mount`);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD, { delay: 15 });
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.deepEqual(phone.errors, []);
  });
});

test('home opened with a query (a link shared in Zalo) carries the early sign-in too', async () => {
  await onPhoneWithoutServiceWorker(async (phone) => {
    const { page } = phone;
    const release = await holdTheApp(page);
    await page.goto(`${world.server.base}/?utm_source=zalo`);
    await typeAndEnter(page);
    await page.locator('#first-sign-in button', { hasText: 'Đang đăng nhập…' }).waitFor();
    release();
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(phone.errors, []);
  });
});

test('a sign-in form whose app cannot be fetched says so, with a way to try again', async () => {
  await onPhoneWithoutServiceWorker(async (phone) => {
    const { page } = phone;
    await page.route(/_bg\.wasm$/, (route) => route.abort('internetdisconnected'));
    await page.goto(`${world.server.base}/login`);
    await typeAndEnter(page);
    const unreachable = page.getByRole('alert').filter({ hasText: 'Chưa tải được ứng dụng' });
    await unreachable.waitFor();
    assert.equal(await page.locator('#first-sign-in button').isVisible(), false, 'no button left waiting');

    // The network is back: "tải lại trang" opens the app, and signing in works.
    await page.unroute(/_bg\.wasm$/);
    await unreachable.getByRole('link', { name: 'tải lại trang' }).click();
    await typeAndEnter(page);
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
  });
});

test('a sign-in form whose app glue cannot be fetched says so too', async () => {
  await onPhoneWithoutServiceWorker(async (phone) => {
    const { page } = phone;
    await page.route(/gocua-app-[0-9a-f]+\.js$/, (route) => route.abort('internetdisconnected'));
    await page.goto(`${world.server.base}/login`);
    await page.getByRole('alert').filter({ hasText: 'Chưa tải được ứng dụng' }).waitFor();
    assert.equal(await page.locator('#first-sign-in button').isVisible(), false);
  });
});
