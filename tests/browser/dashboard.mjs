// The console's dashboard in Debian's headless Chromium: the owner sets the site up and opens
// the dashboard from the navigation; its charts are SVG images with a title and a description,
// each with the same numbers as a table. A reader (another browser, with an ordinary browser's
// name, as bots are not counted) then opens an article; the theme's beacon counts the view, and
// the dashboard shows it, with the article among the top posts. axe-core checks the dashboard
// at a desktop and a 375 px phone width, and its controls are reached with the Tab key.
//
// Environment:
//   BASE_URL   the site (a fresh `masthead demo`, which has no owner yet)
//   CHROMIUM   optional, the browser to drive (default /usr/bin/chromium)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { accessible } from './axe.mjs';
import { journey, launch, setUpOwner, tabTo } from './helpers.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
const READER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const { log, begin, check, step } = journey('dashboard');
const a11y = (page, what) => accessible(page, what, log);
const views = async (page) => Number(((await page.textContent('[data-stat="views"]')) ?? '').replace(/[^0-9]/g, ''));

async function main() {
  check(BASE_URL, 'set BASE_URL');
  const browser = await launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();

    begin('owner setup');
    await setUpOwner(page, BASE_URL, PASSWORD);

    begin('the dashboard');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/dashboard/`), page.click('nav a:has-text("Dashboard")')]);
    const before = await views(page);
    log(`views before the reader: ${before}`);
    const charts = page.locator('figure.chart-box svg[role="img"]');
    check((await charts.count()) === 2, 'two charts');
    for (let i = 0; i < 2; i++) {
      const chart = charts.nth(i);
      const labelled = (await chart.getAttribute('aria-labelledby')) ?? '';
      const [titleId, descId] = labelled.split(' ');
      check(titleId && descId, `chart ${i} is labelled by a title and a description`);
      const title = await page.textContent(`[id="${titleId}"]`);
      check(title && title.trim().length > 0, `chart ${i} has a title`);
      log(`chart: ${title.trim()}`);
    }
    for (const table of ['traffic', 'members']) {
      check((await page.locator(`details table[data-table="${table}"] tbody tr`).count()) > 0, `the ${table} chart has its table`);
    }
    await a11y(page, 'the dashboard');

    begin('the dashboard by keyboard');
    for (const target of ['nav[aria-label="Period"] a', 'details summary', '[role=region][aria-label^="Top posts by views"]']) {
      await tabTo(page, target, 200);
      log(`Tab reaches ${target}`);
    }
    await page.focus('details summary');
    await page.keyboard.press('Enter');
    check(await page.locator('details').first().evaluate((d) => d.open), 'Enter opens the table of the first chart');
    await a11y(page, 'the dashboard with a table open');

    begin('a reader reads an article');
    const reader = await browser.newContext({ viewport: { width: 375, height: 740 }, userAgent: READER_AGENT });
    const tab = await reader.newPage();
    await tab.goto(`${BASE_URL}/`);
    const link = tab.locator('article.card .card-title a').first();
    const title = (await link.textContent()).trim();
    // Closing the reader's browser before the server answered could cancel the beacon.
    const beacon = tab.waitForResponse((r) => r.url().endsWith('/api/views') && r.request().method() === 'POST');
    await Promise.all([tab.waitForURL((u) => u.pathname !== '/'), link.click()]);
    const answered = await beacon;
    check(answered.status() === 204, `the beacon is accepted: HTTP ${answered.status()}`);
    log(`the beacon went for "${title}"`);
    await reader.close();

    begin('the view on the dashboard');
    let now = before;
    for (let i = 0; i < 30 && now <= before; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      now = await views(page);
    }
    check(now === before + 1, `the dashboard counts the view: ${before} → ${now}`);
    const top = (await page.textContent('table[data-table="top-views"]')) ?? '';
    check(top.includes(title), `the article is among the top posts by views: ${top}`);
    await a11y(page, 'the dashboard with a view');
  } finally {
    await browser.close();
  }
}

main().then(
  () => log('dashboard: every step passed'),
  (e) => {
    console.error(`dashboard failed at step "${step()}": ${e.stack ?? e}`);
    process.exit(1);
  },
);
