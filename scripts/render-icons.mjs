// Renders the app's PNG icons from its SVGs with the headless Chromium the
// tests use (no image tools needed): 192 and 512 px for Android's install,
// 180 px for an iPhone's home screen, and a maskable 512 px whose drawing
// stays inside the safe circle. Run it after changing an icon:
//   node scripts/render-icons.mjs
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../tools/node/node_modules/playwright-core/index.mjs';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const ICONS = [
  ['icon.svg', 192, 'icon-192.png'],
  ['icon.svg', 512, 'icon-512.png'],
  ['icon.svg', 180, 'apple-touch-icon.png'],
  ['icon-maskable.svg', 512, 'icon-maskable-512.png'],
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  for (const [svg, size, png] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const source = readFileSync(join(publicDir, svg), 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<html><body style="margin:0">${source}</body></html>`);
    await page.locator('svg').screenshot({ path: join(publicDir, png), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
