// A new build reaches phones in the background and is taken when the
// volunteer accepts it, and an update that fails halfway never leaves a
// phone unable to open the app offline, nor loses what it stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchPhone, signIn } from './server.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
let workdir;
let server;
let phone;

/** A copy of dist/ made into "another build": a marker in the first screen and a new service-worker version. */
function buildVariant(name, { brokenPrecache = false } = {}) {
  const dir = join(workdir, name);
  cpSync(dist, dir, { recursive: true });
  const index = join(dir, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('</body>', `<div id="build-marker" hidden>${name}</div></body>`));
  const sw = join(dir, 'sw.js');
  let code = readFileSync(sw, 'utf8').replace(/const BUILD = '[^']*';/, `const BUILD = '${name}';`);
  if (brokenPrecache) {
    // One file of the new build fails to download mid-install.
    code = code.replace('const PRECACHE = [', 'const PRECACHE = ["/missing-0123456789abcdef.js",');
  }
  writeFileSync(sw, code);
  return dir;
}

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'gocua-builds-'));
  server = await startServer({ staticDir: buildVariant('build-one') });
  phone = await launchPhone();
});

after(async () => {
  await phone?.browser.close();
  await server?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

const marker = (page) => page.evaluate(() => document.getElementById('build-marker')?.textContent ?? null);

async function until(condition, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function reloadOffline(page, context) {
  await context.setOffline(true);
  await page.reload();
  await page.getByText('Phạm Thu Trang').waitFor({ timeout: 15_000 });
  await context.setOffline(false);
}

test('an update that fails halfway keeps the old build working offline; a good one arrives when accepted', async () => {
  const { page, context } = phone;
  await signIn(page, server.base, 'tinhnguyen1');
  assert.equal(await marker(page), 'build-one');

  // Something saved on the phone before any update.
  await page.evaluate(() => localStorage.setItem('gocua.update-test', 'kept'));

  // Deploy a build whose service worker cannot finish installing.
  await server.restart(buildVariant('build-broken', { brokenPrecache: true }));
  await page.reload();
  await page.getByText('Phạm Thu Trang').waitFor();
  assert.equal(await marker(page), 'build-one', 'the page opens from the phone, not the network');
  // Let the broken build's service worker try to install, and fail.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update().catch(() => {}));
  await until(() => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return !registration.installing && !registration.waiting;
  }));
  const cacheNames = await page.evaluate(() => caches.keys());
  assert.ok(cacheNames.includes('gocua-shell-build-one'), `the old build's cache is intact: ${cacheNames}`);

  await reloadOffline(page, context);
  assert.equal(await marker(page), 'build-one', 'offline, the complete old build opens');

  // Deploy a good build: it is offered on the next online load, taken when accepted, and opens offline after that.
  await server.restart(buildVariant('build-two'));
  await page.reload();
  await page.getByText('Phạm Thu Trang').waitFor();
  assert.equal(await marker(page), 'build-one', 'still the build in charge until the volunteer takes the new one');
  await page.getByText('Có phiên bản mới của Gõ Cửa.').waitFor({ timeout: 30_000 });
  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Cập nhật' }).click();
  await reloaded;
  await page.getByText('Phạm Thu Trang').waitFor();
  assert.equal(await marker(page), 'build-two');
  // The new service worker takes over once its cache is complete, and only then drops the old caches.
  await until(async () => {
    const names = await page.evaluate(() => caches.keys());
    return names.length === 1 && names[0] === 'gocua-shell-build-two';
  });

  await reloadOffline(page, context);
  assert.equal(await marker(page), 'build-two', 'offline, the new build opens');
  assert.equal(await page.evaluate(() => localStorage.getItem('gocua.update-test')), 'kept');
  assert.ok(await page.evaluate(() => localStorage.getItem('gocua.session') !== null), 'still signed in');
  assert.deepEqual(phone.errors, []);
});

