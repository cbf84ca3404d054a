// A reader's journey through the paywall in real headless Chromium (Debian's), driven by
// playwright-core: preview → sign up → emailed link → comped by staff → full text → signed out.
// Env: BASE_URL (a running `masthead demo`), DATA_DIR (its data dir), MASTHEAD_BIN (the binary).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const { BASE_URL, DATA_DIR, MASTHEAD_BIN } = process.env;
if (!BASE_URL || !DATA_DIR || !MASTHEAD_BIN) {
  console.error('BASE_URL, DATA_DIR and MASTHEAD_BIN must be set');
  process.exit(2);
}

function step(message) {
  console.log(`journey: ${message}`);
}

function fail(message) {
  throw new Error(message);
}

/** The newest .eml in the outbox addressed to `to`, with quoted-printable undone. */
async function newestMail(to) {
  const outbox = join(DATA_DIR, 'outbox');
  for (let i = 0; i < 100; i++) {
    let files = [];
    try {
      files = readdirSync(outbox).map((f) => join(outbox, f));
    } catch {
      // the outbox appears with the first message
    }
    const mails = files
      .map((f) => ({ f, t: statSync(f).mtimeMs, text: readFileSync(f, 'utf8') }))
      .filter((m) => m.text.includes(`To: ${to}`))
      .sort((a, b) => b.t - a.t);
    if (mails.length) {
      return mails[0].text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`no mail to ${to} in ${outbox}`);
}

/** A paid (Subscriber+) article, found by following article links from section pages. */
async function findPaidArticle(page) {
  for (const section of ['/tag/deep-dive/', '/tag/news/', '/tag/expert-interviews/', '/tag/opinion/', '/']) {
    await page.goto(BASE_URL + section);
    const links = await page.$$eval('main article h2 a, main article h3 a, main .latest a', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of links.filter((h) => h && h.startsWith('/'))) {
      await page.goto(BASE_URL + href);
      const paywall = await page.$('.paywall');
      if (paywall && (await paywall.innerText()).includes('Subscriber+')) return href;
    }
  }
  fail('no Subscriber+ article found');
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const started = Date.now();

  const article = await findPaidArticle(page);
  step(`anonymous reader opens ${article} and meets the paywall`);
  if (await page.$('.post-content .gated')) fail('anonymous reader sees the gated part');
  const cta = await page.innerText('.paywall');
  if (!cta.includes('Keep reading with Subscriber+')) fail(`call to action reads: ${cta}`);
  await page.screenshot({ path: join(DATA_DIR, 'journey-preview.png'), fullPage: false });

  const email = `reader-${Date.now()}@example.com`;
  step(`signs up as ${email}`);
  await page.goto(BASE_URL + '/signup/');
  await page.fill('input[name=name]', 'Journey Reader');
  await page.fill('form[action="/members/signup"] input[name=email]', email);
  await page.click('form[action="/members/signup"] button[type=submit]');
  await page.waitForSelector('input[name=code]');
  if (!(await page.content()).includes(email)) fail('the confirmation page does not name the address');

  step('follows the emailed link');
  const mail = await newestMail(email);
  const match = mail.match(/https?:\/\/\S*\/members\/verify\?token=[A-Za-z0-9_-]+/);
  if (!match) fail('no sign-in link in the message');
  await page.goto(match[0]);
  if (!page.url().endsWith('/account/')) fail(`landed on ${page.url()}`);
  if (!(await page.content()).includes(email)) fail('the account page does not show the address');

  step('is comped to Subscriber+ through the CLI');
  execFileSync(MASTHEAD_BIN, ['member', 'comp', email, '--tier', 'subscriber-plus', '--data', DATA_DIR], { stdio: 'pipe' });

  step('reloads the article and reads it whole');
  await page.goto(BASE_URL + article);
  const gated = await page.$('.post-content .gated');
  if (!gated) fail('the gated part is missing for a Subscriber+ member');
  const gatedText = (await gated.innerText()).trim();
  if (gatedText.length < 200) fail(`the gated part is only ${gatedText.length} characters`);
  if (await page.$('.paywall')) fail('a Subscriber+ member still sees the paywall');
  await page.screenshot({ path: join(DATA_DIR, 'journey-full.png'), fullPage: false });

  step('signs out; the gated text is gone again');
  await page.goto(BASE_URL + '/account/');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/members/signout"] button[type=submit]')]);
  await page.goto(BASE_URL + article);
  if (await page.$('.post-content .gated')) fail('the gated part is still shown after signing out');
  if ((await page.content()).includes(gatedText.slice(0, 80))) fail('gated text still in the page after signing out');
  if (!(await page.$('.paywall'))) fail('the paywall is not back after signing out');

  step(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`journey failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
