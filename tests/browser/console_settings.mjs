// The console's settings and integrations in Debian's headless Chromium: the owner sets the
// site up, changes the site's title (General) and its accent colour (Design) at
// /admin/settings/ and sees both on the home page; then at /admin/integrations/ makes a Content
// API key, whose secret is shown once and never again, and adds a webhook. axe-core checks each
// page at a desktop and a 375 px phone width, and the fields are reached with the Tab key.
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
const TITLE = 'The Harbour Gazette';
const ACCENT = '#1d4ed8';

const { log, begin, check, step } = journey('console settings');
const a11y = (page, what) => accessible(page, what, log);

async function main() {
  check(BASE_URL, 'set BASE_URL');
  const browser = await launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();

    begin('owner setup');
    await setUpOwner(page, BASE_URL, PASSWORD);

    begin('the settings page');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/settings/`), page.click('nav a:has-text("Settings")')]);
    for (const group of ['General', 'Design', 'Membership', 'Access', 'Advanced']) {
      check((await page.locator('h2', { hasText: group }).count()) === 1, `the ${group} group`);
    }
    await a11y(page, 'the settings page');

    begin('the settings by keyboard');
    for (const target of ['#setting-title', '#setting-description', '#setting-accent_color', '#setting-past_due_grace_days']) {
      await tabTo(page, target, 200);
      log(`Tab reaches ${target}`);
    }

    begin('a new title');
    await page.fill('#setting-title', TITLE);
    await Promise.all([page.waitForURL(/\?saved=general#general$/), page.click('button:has-text("Save General")')]);
    check((await page.textContent('#general [role=status]')).includes('General settings saved'), 'a notice says General was saved');
    check((await page.inputValue('#setting-title')) === TITLE, 'the field shows the new title');

    begin('a new accent colour');
    await page.fill('#setting-accent_color', ACCENT);
    await Promise.all([page.waitForURL(/\?saved=design#design$/), page.click('button:has-text("Save Design")')]);
    const contrast = (await page.textContent('#accent-contrast')) ?? '';
    check(contrast.includes('meets'), `the contrast note says it meets AA: ${contrast}`);
    await a11y(page, 'the settings page after saving');

    begin('the home page shows both');
    await page.goto(`${BASE_URL}/`);
    check((await page.title()).includes(TITLE), `the page title names the site: ${await page.title()}`);
    check((await page.textContent('header')).includes(TITLE), 'the header names the site');
    const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
    check(accent.toLowerCase() === ACCENT, `the accent colour is applied: ${accent}`);

    begin('the integrations page');
    await page.goto(`${BASE_URL}/admin/`);
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/integrations/`), page.click('nav a:has-text("Integrations")')]);
    await a11y(page, 'the integrations page');
    for (const target of ['#key-name', '#key-kind', '#hook-name', '#hook-event', '#hook-target', '#hook-secret']) {
      await tabTo(page, target, 200);
      log(`Tab reaches ${target}`);
    }

    begin('a Content API key, revealed once');
    await page.fill('#key-name', 'Apple News feed');
    await page.selectOption('#key-kind', 'content');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Create key")')]);
    check((await page.textContent('#new-key')).includes('shown this once'), 'the page says the secret is shown once');
    const secret = await page.inputValue('#new-key-secret');
    check(secret.length >= 20, `the secret is shown: ${secret.length} characters`);
    await a11y(page, 'the new key');
    const listed = page.locator('tr[data-key]', { hasText: 'Apple News feed' });
    check((await listed.count()) === 1, 'the key is listed');
    await page.goto(`${BASE_URL}/admin/integrations/`);
    check((await page.locator('#new-key').count()) === 0, 'the secret is not shown again');
    check(!(await page.content()).includes(secret), 'the secret appears nowhere on the page');
    check((await page.textContent('tr[data-key]')).includes('content'), 'the key is a Content API key');

    begin('a webhook');
    await page.fill('#hook-name', 'Newsletter tool');
    await page.selectOption('#hook-event', 'post.published');
    await page.fill('#hook-target', 'https://hooks.example.com/masthead');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/integrations/`), page.click('button:has-text("Add webhook")')]);
    const hook = page.locator('tr[data-hook]', { hasText: 'Newsletter tool' });
    check((await hook.count()) === 1, 'the webhook is listed');
    const row = await hook.textContent();
    check(row.includes('post.published') && row.includes('https://hooks.example.com/masthead') && row.includes('Never'), `the row says what and where: ${row}`);
    await a11y(page, 'the integrations page with a key and a webhook');
  } finally {
    await browser.close();
  }
}

main().then(
  () => log('console settings: every step passed'),
  (e) => {
    console.error(`console settings failed at step "${step()}": ${e.stack ?? e}`);
    process.exit(1);
  },
);
