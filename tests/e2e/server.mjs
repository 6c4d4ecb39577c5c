// Starts the real gocua-server (with the demo commune, a temporary SQLite
// file and the built app in dist/) on a free port of 127.0.0.1, and drives
// headless Chromium (Debian's, through playwright-core).
import { spawn, spawnSync } from 'node:child_process';
import { before, after, afterEach } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../tools/node/node_modules/playwright-core/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_PASSWORD = 'gocua-demo';

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server. `staticDir` defaults to the built app in dist/; the
 * returned `restart(staticDir)` stops it and starts it again on the same
 * port and database, as a deploy of a new build would.
 */
export async function startServer({ staticDir = join(root, 'dist') } = {}) {
  const bin = process.env.GOCUA_SERVER_BIN ?? join(root, 'target', 'debug', 'gocua-server');
  const dir = mkdtempSync(join(tmpdir(), 'gocua-e2e-'));
  const port = await freePort();
  const launch = async (appDir) => {
    const child = spawn(bin, [
      'serve', '--addr', `127.0.0.1:${port}`, '--database', `sqlite://${join(dir, 'gocua.db')}`,
      '--static-dir', appDir, '--demo-accounts',
    ], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'gocua_server=warn' } });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
      child.stdout.on('data', (chunk) => {
        if (chunk.toString().includes('http://')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return child;
  };
  const halt = async (child) => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  };
  let child = await launch(staticDir);
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    async stop() {
      await halt(child);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(appDir) {
      await halt(child);
      child = await launch(appDir);
    },
    /** Runs the server's command line on its database (a commune set up while it serves, say). */
    cli(...args) {
      const run = spawnSync(bin, [...args, '--database', `sqlite://${join(dir, 'gocua.db')}`], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`gocua-server ${args.join(' ')}: ${run.stderr}`);
      return run.stdout;
    },
    /** Signs in over the API, as a second client would. */
    async login(username) {
      const response = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      if (!response.ok) throw new Error(`sign-in of ${username}: ${response.status}`);
      return (await response.json()).token;
    },
    async households(token) {
      const response = await fetch(`${base}/api/v1/households`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`households: ${response.status}`);
      return (await response.json()).households;
    },
    async visits(token) {

      const response = await fetch(`${base}/api/v1/visits`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`visits: ${response.status}`);
      return (await response.json()).visits;
    },
  };
}

/** Signs in through the app's own screen and waits until the service worker controls the page. */
export async function signIn(page, base, username) {
  await page.goto(base);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/** A phone: a Chromium of its own at 360×740; `options` adds to its context's (a user agent, say). */
export async function launchPhone(options = {}) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, locale: 'vi-VN', isMobile: true, hasTouch: true, ...options,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // A Content-Security-Policy that blocks part of the app shows up here.
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) errors.push(message.text());
  });
  // The phone's last moments, told when a test fails (see `tellWhatThePhoneShows`).
  const recent = [];
  const note = (line) => {
    recent.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (recent.length > 40) recent.shift();
  };
  page.on('console', (message) => note(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => note(`page error: ${error.message}`));
  page.on('requestfailed', (request) => note(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) note(`answered ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) note(`navigated: ${frame.url()}`);
  });
  return { browser, context, page, errors, recent };
}

/** What a phone shows and last did, printed when a test fails, so a failure in CI says why. */
async function tellWhatThePhoneShows(name, phone) {
  const { page, recent } = phone;
  let shown;
  try {
    shown = (await page.locator('body').innerText({ timeout: 2_000 })).slice(0, 3_000);
  } catch (error) {
    shown = `(could not be read: ${error.message})`;
  }
  console.error(`--- phone "${name}" at ${page.url()} shows:\n${shown}\n--- and last did:\n${recent.join('\n')}\n---`);
}

/**
 * A test file's world: before its tests, a server and one phone (a Chromium
 * of its own) per name; after them, all closed. Read them from the returned
 * object once the tests run: `const { server, phone } = world;`.
 */
export function setUpServerAndPhones(...phoneNames) {
  const world = {};
  before(async () => {
    world.server = await startServer();
    for (const name of phoneNames) world[name] = await launchPhone();
  });
  afterEach(async (t) => {
    if (t.passed) return;
    for (const name of phoneNames) if (world[name]) await tellWhatThePhoneShows(name, world[name]);
  });
  after(async () => {
    for (const name of phoneNames) await world[name]?.browser.close();
    await world.server?.stop();
  });
  return world;
}

/**
 * An HTTP proxy in front of `target` on a port of its own, as a phone's
 * network sees the server: every request can be held back (`delayMs`, a
 * crawling network), and each is noted (`requests`: its path), so a test
 * can tell what a phone downloaded.
 */
export async function startProxy(target) {
  const { request: forward } = await import('node:http');
  const { createServer: createHttpServer } = await import('node:http');
  const proxy = { delayMs: 0, requests: [] };
  const upstream = new URL(target);
  const server = createHttpServer((incoming, outgoing) => {
    proxy.requests.push(new URL(incoming.url, 'http://x').pathname);
    setTimeout(() => {
      const onward = forward(
        { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method,
          headers: { ...incoming.headers, host: upstream.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode, answer.headers);
          answer.pipe(outgoing);
        },
      );
      onward.on('error', () => outgoing.destroy());
      incoming.pipe(onward);
    }, proxy.delayMs);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.base = `http://127.0.0.1:${port}`;
  proxy.stop = () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); });
  return proxy;
}

/** Adds a consented household (in Thôn Đông unless told) through the app's form; the page ends on the household. */
export async function addHousehold(page, base, headName, address, village = 'Thôn Đông') {
  await page.goto(`${base}/households/new`);
  await page.selectOption('#household-village', { label: village });
  await page.getByLabel('Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại').check();
  await page.fill('#head-name', headName);
  await page.fill('#address', address);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: headName }).waitFor();
  await page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).waitFor();
}

/** Opens home and waits until the sync bar says everything is synced; `who` names the phone if it never does. */
export async function syncedAll(page, base, who) {
  await page.goto(`${base}/`);
  try {
    await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 60_000 });
  } catch (error) {
    const state = await page.getByTestId('sync-state').textContent().catch(() => '?');
    const problem = await page.locator('.sync-bar .error').allTextContents().catch(() => []);
    throw new Error(`${who}'s phone never finished syncing: "${state}" ${problem.join(' | ')}`);
  }
}

/** From a household's page, logs a "nobody home" visit; the page ends at home. */
export async function logNobodyHome(page) {
  await page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).click();
  await page.getByRole('button', { name: 'Không có ai ở nhà' }).click();
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();
}
