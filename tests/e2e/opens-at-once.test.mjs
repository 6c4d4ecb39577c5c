// The installed app opens from the phone's copy: on a crawling network and
// on a dead one, home is there within a second. A new build arrives in the
// background — each of its files downloaded once — and is offered as
// "Có phiên bản mới" away from any form; taking it reloads into the new
// build with the half-typed visit still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, startProxy, launchPhone, signIn } from './server.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
let workdir;
let server;
let proxy;
let phone;

/** A copy of dist/ made into another build: a marker in the first screen and its own service-worker version. */
function buildVariant(name) {
  const dir = join(workdir, name);
  cpSync(dist, dir, { recursive: true });
  const index = join(dir, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('</body>', `<div id="build-marker" hidden>${name}</div></body>`));
  const sw = join(dir, 'sw.js');
  writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const BUILD = '[^']*';/, `const BUILD = '${name}';`));
  return dir;
}

/** The files the build's service worker keeps. */
function precached(dir) {
  const list = readFileSync(join(dir, 'sw.js'), 'utf8').match(/const PRECACHE = (\[.*\]);/)[1];
  return JSON.parse(list);
}

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'gocua-builds-'));
  server = await startServer({ staticDir: buildVariant('build-one') });
  proxy = await startProxy(server.base);
  phone = await launchPhone();
});

after(async () => {
  await phone?.browser.close();
  await proxy?.stop();
  await server?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

const marker = (page) => page.evaluate(() => document.getElementById('build-marker')?.textContent ?? null);
const HOME = '+ Ghi lượt thăm';

/** Opens `path` and returns how long until home's first link was on screen, in ms. */
async function timeToHome(page, url) {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.getByRole('link', { name: HOME }).waitFor({ timeout: 30_000 });
  return Date.now() - started;
}

test('the installed app opens within a second on a crawling network and on none', async () => {
  const { page, context } = phone;
  await signIn(page, proxy.base, 'tinhnguyen1');

  proxy.delayMs = 6000;
  const crawling = await timeToHome(page, `${proxy.base}/`);
  assert.ok(crawling < 1000, `home after ${crawling} ms with every request held 6 s`);

  await context.setOffline(true);
  const dead = await timeToHome(page, `${proxy.base}/`);
  assert.ok(dead < 1000, `home after ${dead} ms offline`);
  await context.setOffline(false);
  proxy.delayMs = 0;
  assert.deepEqual(phone.errors, []);
});

test('a new build is fetched once in the background and offered away from forms, keeping the draft', async () => {
  const { page } = phone;
  await page.goto(`${proxy.base}/`);
  await page.getByRole('link', { name: HOME }).waitFor();
  assert.equal(await marker(page), 'build-one');
  // A visit half typed.
  await page.getByRole('link', { name: HOME }).click();
  await page.fill('#note', 'Bà Tư hẹn cài VNeID chiều mai');
  await page.getByRole('link', { name: 'Gõ Cửa' }).click();

  const two = buildVariant('build-two');
  await server.restart(two);
  proxy.requests.length = 0;
  // Opened again: from the phone's copy, while the new build downloads behind it.
  await page.goto(`${proxy.base}/`);
  await page.getByRole('link', { name: HOME }).waitFor();
  assert.equal(await marker(page), 'build-one', 'the page opens from the phone, not the network');
  const offer = page.getByText('Có phiên bản mới của Gõ Cửa.');
  await offer.waitFor({ timeout: 30_000 });

  // Never in the middle of a form.
  await page.getByRole('link', { name: HOME }).click();
  await page.locator('#note').waitFor();
  assert.equal(await offer.count(), 0, 'no offer on the visit form');
  assert.equal(await page.inputValue('#note'), 'Bà Tư hẹn cài VNeID chiều mai');
  await page.getByRole('link', { name: 'Gõ Cửa' }).click();
  await offer.waitFor();

  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Cập nhật' }).click();
  await reloaded;
  await page.getByRole('link', { name: HOME }).waitFor();
  assert.equal(await marker(page), 'build-two', 'the new build, once the volunteer took it');
  await page.getByRole('link', { name: HOME }).click();
  assert.equal(await page.inputValue('#note'), 'Bà Tư hẹn cài VNeID chiều mai', 'the draft survives the update');

  // Each file of the new build came down once, by the service worker; the page fetched none itself.
  const counts = {};
  for (const path of proxy.requests) counts[path] = (counts[path] ?? 0) + 1;
  for (const file of precached(two)) {
    assert.equal(counts[file] ?? 0, 1, `${file} downloaded ${counts[file] ?? 0} times: ${JSON.stringify(counts)}`);
  }
  assert.deepEqual(phone.errors, []);
});
