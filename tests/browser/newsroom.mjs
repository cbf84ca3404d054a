// The newsroom's journey in Debian's headless Chromium: the owner sets the site up at /admin/,
// invites an editor, the editor accepts through the link in the outbox, lands in the newsroom,
// signs out and signs in again with the password (the invitation verified this browser). axe-core
// checks every newsroom page on the way, at a desktop and a phone width, and must find nothing.
//
// Environment:
//   BASE_URL   the site (a fresh `masthead demo`, which has no owner yet)
//   DATA_DIR   its data directory (emails land in DATA_DIR/outbox/)
//   CHROMIUM   optional, the browser to drive (default /usr/bin/chromium)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launch } from './helpers.mjs';
import { waitForEmail } from './outbox.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const DATA_DIR = process.env.DATA_DIR ?? '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'correct horse battery staple';
const WIDTHS = [{ width: 1280, height: 900 }, { width: 375, height: 740 }];

const started = Date.now();
let step = 'start';
function log(message) {
  console.log(`[newsroom ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}
function begin(name) {
  step = name;
  log(`step ${name}`);
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}

/// Runs axe-core (WCAG 2.x A and AA, best practices) on the page at each width; throws on any
/// violation, naming the rule and the elements.
async function accessible(page, what) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
    if (!loaded) await page.evaluate(AXE);
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
    const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    check(found.length === 0, `axe found ${found.length} violation(s) on ${what} at ${size.width}px:\n  ${found.join('\n  ')}`);
    log(`axe: no violations on ${what} at ${size.width}px`);
  }
  await page.setViewportSize(WIDTHS[0]);
}

async function main() {
  check(BASE_URL && DATA_DIR, 'set BASE_URL and DATA_DIR');
  const browser = await launch(CHROMIUM);
  try {
    const owner = await browser.newContext({ viewport: WIDTHS[0] });
    owner.setDefaultTimeout(15_000);
    const page = await owner.newPage();

    begin('owner setup');
    await page.goto(`${BASE_URL}/admin/`);
    check((await page.textContent('h1')).includes('Set up your site'), 'the first run offers the setup');
    await accessible(page, 'setup');
    await page.fill('#site_title', 'The Review');
    await page.fill('#name', 'Olga Owner');
    await page.fill('#email', 'olga@news.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/`), page.click('button[type=submit]')]);
    check((await page.textContent('h1')).includes('Newsroom'), 'the owner lands in the newsroom');
    await accessible(page, 'home');

    begin('invite an editor');
    await page.click('nav a:has-text("Staff")');
    await accessible(page, 'staff');
    await page.fill('#invite-email', 'ed@news.example');
    await page.selectOption('#invite-role', 'editor');
    await page.click('button:has-text("Send invitation")');
    await page.waitForSelector('.ok');
    await page.goto(`${BASE_URL}/admin/profile/`);
    await accessible(page, 'profile');
    await page.goto(`${BASE_URL}/admin/audit/`);
    await accessible(page, 'audit log');
    await page.goto(`${BASE_URL}/admin/tags/`);
    await accessible(page, 'tags');
    await page.goto(`${BASE_URL}/admin/tags/new/`);
    await accessible(page, 'new tag');
    await page.goto(`${BASE_URL}/admin/navigation/`);
    await accessible(page, 'navigation');

    begin('the editor accepts from the outbox');
    const mail = await waitForEmail(join(DATA_DIR, 'outbox'), 'ed@news.example', 10_000);
    const text = mail.parts.find((p) => p.type === 'text/plain')?.text ?? '';
    const link = text.match(/https?:\/\/\S+\/admin\/invitation\/\S+\//)?.[0];
    check(link, `an invitation link in the mail:\n${text}`);
    const editor = await browser.newContext({ viewport: WIDTHS[0] });
    editor.setDefaultTimeout(15_000);
    const ed = await editor.newPage();
    await ed.goto(link);
    await accessible(ed, 'invitation');
    await ed.fill('#name', 'Ed Editor');
    await ed.fill('#password', PASSWORD);
    await Promise.all([ed.waitForURL(`${BASE_URL}/admin/`), ed.click('button[type=submit]')]);
    check((await ed.textContent('.who')).includes('Ed Editor'), 'the editor is signed in');

    begin('the editor signs out and in again');
    await Promise.all([ed.waitForURL(`${BASE_URL}/admin/signin/`), ed.click('.signout button')]);
    await accessible(ed, 'sign-in');
    await ed.fill('#email', 'ed@news.example');
    await ed.fill('#password', PASSWORD);
    await Promise.all([ed.waitForURL(`${BASE_URL}/admin/`), ed.click('button[type=submit]')]);
    check((await ed.textContent('.who')).includes('Editor'), 'signed in as an editor');

    begin('a new browser needs the emailed code');
    const fresh = await browser.newContext({ viewport: WIDTHS[0] });
    const other = await fresh.newPage();
    await other.goto(`${BASE_URL}/admin/signin/`);
    await other.fill('#email', 'ed@news.example');
    await other.fill('#password', PASSWORD);
    await Promise.all([other.waitForURL(`${BASE_URL}/admin/signin/code/`), other.click('button[type=submit]')]);
    await accessible(other, 'device code');
    const codeMail = await waitForEmail(join(DATA_DIR, 'outbox'), 'ed@news.example', 10_000);
    const code = (codeMail.parts.find((p) => p.type === 'text/plain')?.text ?? '').match(/^\s*(\d{6})\s*$/m)?.[1];
    check(code, 'a six-digit code in the mail');
    await other.fill('#code', code);
    await Promise.all([other.waitForURL(`${BASE_URL}/admin/`), other.click('button[type=submit]')]);
    log('every step passed');
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`newsroom journey failed at step "${step}": ${err.stack ?? err}`);
  process.exit(1);
});
