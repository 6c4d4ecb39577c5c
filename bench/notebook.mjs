// Times the volunteer's two hot paths on a full phone — opening home and
// saving one visit — with 5,000 visits and 2,000 households in local
// storage, in headless Chromium with the CPU throttled 4× (a cheap phone).
// Prints medians of several runs as Markdown. Run by scripts/bench-notebook.sh.
import { chromium } from '../tools/node/node_modules/playwright-core/index.mjs';

const [base, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg ?? 7);
const VISITS = 5000;
const HOUSEHOLDS = 2000;
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await context.newPage();

// Sign in for real, then fill the store as a season of work would.
await page.goto(base);
await page.fill('#username', 'tinhnguyen1');
await page.fill('#password', 'gocua-demo');
await page.click('button[type=submit]');
await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();
const firstHousehold = await page.evaluate(({ VISITS, HOUSEHOLDS }) => {
  const at = new Date().toISOString();
  const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
  const given = ['An', 'Bình', 'Cường', 'Dung', 'Hải', 'Hoa', 'Lan', 'Minh', 'Nam', 'Thu'];
  const households = [];
  for (let i = 0; i < HOUSEHOLDS; i++) {
    const id = crypto.randomUUID();
    households.push(id);
    localStorage.setItem(`gocua.household.${id}`, JSON.stringify({
      household: { id, village_id: 1 + (i % 4), head_name: `${families[i % 10]} Văn ${given[(i / 10 | 0) % 10]} ${i}`,
        address: `Số ${i}, ngõ ${i % 37}`, phone: null, members: 4, revision: 1 },
      sync: { state: 'synced', at }, visits: { count: 2, last: null },
    }));
  }
  localStorage.setItem('gocua.households', JSON.stringify(households));
  // Oldest first, as a phone writes them, in index chunks of 1,000 as this app keeps them.
  const CHUNK = 1000;
  let open = [];
  let sealed = 0;
  for (let i = VISITS - 1; i >= 0; i--) {
    const id = crypto.randomUUID();
    if (open.length === CHUNK) {
      localStorage.setItem(`gocua.visits.sealed.${sealed}`, JSON.stringify(open));
      sealed += 1;
      open = [];
    }
    open.push(id);
    const visitedAt = new Date(Date.now() - i * 3_600_000).toISOString();
    localStorage.setItem(`gocua.visit.${id}`, JSON.stringify({
      visit: { id, household_id: households[i % HOUSEHOLDS], outcome: 'guided', come_back_on: null,
        people: { officials: 0, pupils: 0, adults: 2, elderly: 1, workers: 0 },
        skills: [{ code: 'payment.qr', completed: true }, { code: 'vneid.level2', completed: false }],
        note: 'Đã hướng dẫn cài VNeID và thanh toán bằng mã QR.', visited_at: visitedAt,
        follow_up: i % 10 === 0 ? { on: visitedAt.slice(0, 10), reason: 'Quay lại hướng dẫn tiếp' } : null, revision: 1 },
      sync: { state: 'synced', at }, saved_at: visitedAt, deleted: false,
    }));
  }
  localStorage.setItem('gocua.visits.sealed', JSON.stringify(sealed));
  localStorage.setItem('gocua.visits', JSON.stringify(open));
  return households[0];
}, { VISITS, HOUSEHOLDS });
const bytes = await page.evaluate(() => Object.keys(localStorage).reduce((n, k) => n + 2 * (k.length + localStorage.getItem(k).length), 0));

// Record the longest main-thread task of every load (a tap waits at most that long).
await context.addInitScript(() => {
  window.__longestTask = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, entry.duration);
  }).observe({ type: 'longtask', buffered: true });
});
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

const homeSinceNavigation = [];
const homeSinceStart = [];
const loading = [];
const everything = [];
const longest = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto(`${base}/`);
  await page.getByTestId('today').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('gocua:home').length > 0);
  const { start, loaded, home } = await page.evaluate(() => ({
    start: performance.getEntriesByName('gocua:start')[0].startTime,
    loaded: performance.getEntriesByName('gocua:loaded')[0].startTime,
    home: performance.getEntriesByName('gocua:home')[0].startTime,
  }));
  loading.push(loaded - start);
  await page.waitForFunction(() => performance.getEntriesByName('gocua:all-loaded').length > 0);
  everything.push(await page.evaluate(() => performance.getEntriesByName('gocua:all-loaded')[0].startTime
    - performance.getEntriesByName('gocua:start')[0].startTime));
  longest.push(await page.evaluate(() => window.__longestTask ?? 0));
  homeSinceNavigation.push(home);
  homeSinceStart.push(home - start);
}

const saves = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto(`${base}/visits/new?household=${firstHousehold}`);
  await page.click('[aria-label="Thêm một người – Người dân trưởng thành"]');
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();
  const save = await page.evaluate(() => {
    const start = performance.getEntriesByName('gocua:save:start')[0].startTime;
    const end = performance.getEntriesByName('gocua:save:end')[0].startTime;
    return end - start;
  });
  saves.push(save);
}
await browser.close();

const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`Store: ${VISITS} visits, ${HOUSEHOLDS} households, ${(bytes / 1024 / 1024).toFixed(1)} MiB of local storage; CPU 4× throttled; median of ${RUNS} runs.`);
console.log('');
console.log('| measure | median | all runs |');
console.log('|---|---:|---|');
console.log(`| save one visit (validate, write, update the list) | ${ms(median(saves))} | ${saves.map((v) => v.toFixed(1)).join(', ')} |`);
console.log(`| open home: app start → home rendered | ${ms(median(homeSinceStart))} | ${homeSinceStart.map((v) => v.toFixed(0)).join(', ')} |`);
console.log(`| … of which reading the store (households, newest visits) | ${ms(median(loading))} | ${loading.map((v) => v.toFixed(0)).join(', ')} |`);
console.log(`| every visit read, in the background: app start → done | ${ms(median(everything))} | ${everything.map((v) => v.toFixed(0)).join(', ')} |`);
console.log(`| longest main-thread task during start | ${ms(median(longest))} | ${longest.map((v) => v.toFixed(0)).join(', ')} |`);

console.log(`| open home: navigation → home rendered | ${ms(median(homeSinceNavigation))} | ${homeSinceNavigation.map((v) => v.toFixed(0)).join(', ')} |`);
