// A reader's journey through a running Masthead demo site, in Debian's headless Chromium:
// an anonymous reader meets the paywall on a paid article, signs up, follows the emailed link,
// is comped Subscriber+ through the CLI, reads the whole article, signs out and meets the
// paywall again; then searches from the header and clears the search box. A second reader signs
// up free, pays for Subscriber+ through Checkout on a local Stripe-shaped server
// (fake-stripe.mjs), comes back to the account page as a subscriber, reads the whole article,
// and opens the Billing Portal and returns from it: the site's Content-Security-Policy must let
// both redirects to Stripe's hosts through.
//
// Environment:
//   BASE_URL      the site, e.g. http://127.0.0.1:3000 (also the MASTHEAD_URL it was started with)
//   DATA_DIR      its data directory (emails land in DATA_DIR/outbox/; screenshots are written here)
//   MASTHEAD_BIN  the masthead binary, for `masthead member comp`
//   CHROMIUM      optional, the browser to drive (default /usr/bin/chromium)
//   FAKE_STRIPE_PORT, FAKE_STRIPE_KEY, FAKE_STRIPE_WEBHOOK_SECRET
//                 where to run the fake Stripe (the site's MASTHEAD_STRIPE_API_BASE is
//                 http://127.0.0.1:PORT), the secret key the site sends, and the webhook signing
//                 secret it expects; without them the payment steps are skipped (not under CI=true)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch } from './helpers.mjs';
import { startFakeStripe } from './fake-stripe.mjs';
import { decodeEntities, waitForEmail } from './outbox.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const DATA_DIR = process.env.DATA_DIR ?? '';
const MASTHEAD_BIN = process.env.MASTHEAD_BIN ?? '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FAKE_STRIPE_PORT = Number(process.env.FAKE_STRIPE_PORT ?? 0);
const FAKE_STRIPE_KEY = process.env.FAKE_STRIPE_KEY ?? '';
const FAKE_STRIPE_WEBHOOK_SECRET = process.env.FAKE_STRIPE_WEBHOOK_SECRET ?? '';

const started = Date.now();
let step = 'setup';

function log(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[journey ${seconds}s] ${message}`);
}

function begin(name) {
  step = name;
  log(`step ${name}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Finding a paid (Subscriber+) article: a small same-site crawl with fetch, from the home page
// through tag pages, until an article's paywall names Subscriber+.

const NOT_ARTICLES = /^\/(tag|author|page|search|signin|signup|account|members|assets|webhooks)\//;

function sameSiteLinks(html) {
  const links = new Set();
  for (const match of html.matchAll(/href="([^"#?]*)"/g)) {
    let href = match[1].replaceAll('&amp;', '&');
    if (href.startsWith(BASE_URL)) href = href.slice(BASE_URL.length);
    if (href.startsWith('/') && !href.startsWith('//') && href.endsWith('/')) links.add(href);
  }
  return [...links];
}

function isArticlePath(path) {
  return /^\/[^/]+\/$/.test(path) && !NOT_ARTICLES.test(path);
}

function isListingPath(path) {
  return path === '/' || /^\/tag\/[^/]+\/$/.test(path);
}

async function findPaidArticle() {
  const queue = ['/', '/tag/deep-dive/', '/tag/news/'];
  const seen = new Set(queue);
  let fetched = 0;
  while (queue.length > 0 && fetched < 80) {
    // Articles before listings, so the first listings' articles are tried first.
    const index = queue.findIndex(isArticlePath);
    const path = queue.splice(index >= 0 ? index : 0, 1)[0];
    const res = await fetch(BASE_URL + path, { redirect: 'manual' });
    fetched += 1;
    if (res.status !== 200) {
      await res.arrayBuffer().catch(() => {});
      continue;
    }
    const html = await res.text();
    if (isArticlePath(path)) {
      const paywall = html.match(/<section class="paywall[^"]*"[\s\S]*?<\/section>/);
      if (paywall && paywall[0].includes('Subscriber+')) {
        log(`found a Subscriber+ article at ${path} (after ${fetched} requests)`);
        return path;
      }
    }
    if (isListingPath(path)) {
      for (const link of sameSiteLinks(html)) {
        if (!seen.has(link) && (isArticlePath(link) || isListingPath(link))) {
          seen.add(link);
          queue.push(link);
        }
      }
    }
  }
  throw new Error(`no article whose .paywall says "Subscriber+" found in ${fetched} pages crawled from ${BASE_URL}/`);
}

// ---------------------------------------------------------------------------------------------
// Assertions on the article page.

async function assertPreview(page, when) {
  const paywall = page.locator('.paywall');
  check((await paywall.count()) === 1, `${when}: expected one .paywall box on ${page.url()}, found ${await paywall.count()}`);
  const text = (await paywall.innerText()).replace(/\s+/g, ' ');
  check(text.includes('Subscriber+'), `${when}: the .paywall box does not mention Subscriber+: "${text}"`);
  check(/Keep reading with Subscriber\+/.test(text), `${when}: the .paywall box lacks "Keep reading with Subscriber+": "${text}"`);
  const gated = await page.locator('.gated').count();
  check(gated === 0, `${when}: the gated text (.gated) is on the page although the reader is not entitled`);
  const free = (await page.locator('.post-content').innerText()).trim();
  check(free.length > 0, `${when}: the free part (.post-content) is empty`);
  return { paywall: text, free };
}

async function assertFullText(page, when) {
  const paywall = await page.locator('.paywall').count();
  check(paywall === 0, `${when}: the .paywall box is still shown on ${page.url()}`);
  const gated = page.locator('.post-content .gated');
  check((await gated.count()) === 1, `${when}: expected the gated text in .post-content .gated, found ${await gated.count()}`);
  const text = (await gated.innerText()).replace(/\s+/g, ' ').trim();
  check(text.length > 200, `${when}: .post-content .gated has only ${text.length} characters: "${text}"`);
  // A free member reads a few paid articles on the meter; a comped subscriber is not metered,
  // so the meter notice proves the text came from the meter, not from the comp.
  const meter = await page.locator('.meter').count();
  check(meter === 0, `${when}: a metered-read notice is shown, so the article was not unlocked by the Subscriber+ tier`);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Signing up: the form on /signup/, then the link in the email.

async function signUp(page, email, name) {
  const res = await page.goto(`${BASE_URL}/signup/`);
  check(res && res.status() === 200, `GET /signup/ answered ${res && res.status()}`);
  const form = page.locator('form[action="/members/signup"]');
  check((await form.count()) === 1, `no sign-up form (POST /members/signup) on ${page.url()}`);
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="email"]').fill(email);
  await Promise.all([page.waitForURL('**/members/signup'), form.getByRole('button', { name: 'Create account' }).click()]);
  const codeForm = page.locator('form[action="/members/verify-code"]');
  check((await codeForm.count()) === 1, `after "Create account" the page shows no code form; it says: ${(await page.locator('main, body').first().innerText()).slice(0, 400)}`);
  const notice = (await page.locator('.notice').allInnerTexts()).join(' ');
  check(notice.includes(email), `no "check your email" notice naming ${email}: "${notice}"`);
  log(`notice: "${notice.trim()}"`);
}

async function followEmailedLink(page, email) {
  const mail = await waitForEmail(join(DATA_DIR, 'outbox'), email, 10_000);
  log(`email ${mail.path}: "${mail.subject}" (${mail.parts.map((p) => p.type).join(', ')})`);
  const plain = mail.parts.find((p) => p.type === 'text/plain');
  check(plain, `the email has no text/plain part (parts: ${mail.parts.map((p) => p.type).join(', ')})`);
  const link = plain.text.match(/https?:\/\/[^\s<>"']+\/members\/verify\?token=[^\s<>"']+/);
  check(link, `no …/members/verify?token=… link in the plain-text part:\n${plain.text}`);
  check(link[0].startsWith(`${BASE_URL}/`), `the link ${link[0]} does not start with the site's URL ${BASE_URL}/`);
  check(/\b\d{6}\b/.test(plain.text), `no 6-digit code in the plain-text part:\n${plain.text}`);
  const html = mail.parts.find((p) => p.type === 'text/html');
  check(html && decodeEntities(html.text).includes(`href="${link[0]}"`), 'the HTML part does not carry the same verify link');
  const res = await page.goto(link[0]);
  check(res && res.status() === 200, `GET ${link[0]} ended with status ${res && res.status()}`);
  check(new URL(page.url()).pathname === '/account/', `the verify link landed on ${page.url()}, not /account/`);
  const account = await page.locator('main, body').first().innerText();
  check(account.includes(email), `/account/ does not show ${email}`);
  log(`signed in, at ${page.url()}`);
}

// ---------------------------------------------------------------------------------------------
// Paying: Checkout and the Billing Portal on the fake Stripe. Both are cross-origin redirects
// that the site's Content-Security-Policy must allow (`form-action` covers the redirect after
// the "Manage billing" form's POST).

/// Clicks `target` and waits until the page is on `origin`; a navigation the browser refused
/// fails with the page's `form-action` and what the console said.
async function clickThrough(page, target, origin, what, consoleErrors) {
  const before = consoleErrors.length;
  const policy = await page.evaluate(async () => (await fetch(location.href, { method: 'HEAD' })).headers.get('content-security-policy'));
  const formAction = (policy ?? '').split(';').map((d) => d.trim()).find((d) => d.startsWith('form-action')) ?? '(none)';
  try {
    await Promise.all([page.waitForURL((url) => url.origin === origin, { timeout: 10_000 }), target.click()]);
  } catch (err) {
    const said = consoleErrors.slice(before).join(' | ') || '(nothing)';
    throw new Error(`${what}: the browser did not reach ${origin}; it is on ${page.url()}. The page's CSP says "${formAction}"; console: ${said}`);
  }
}

async function accountPlan(page) {
  return (await page.locator('.account-page .facts').innerText()).replace(/\s+/g, ' ');
}

async function payingJourney(page, stripe, articlePath, consoleErrors) {
  const email = `payer-${Date.now()}-${process.pid}@example.com`;

  begin('(h) a second reader signs up free');
  await signUp(page, email, 'Paying Reader');
  await followEmailedLink(page, email);
  check((await accountPlan(page)).includes('Plan: Free'), `a new member's plan is not Free: "${await accountPlan(page)}"`);

  begin('(i) subscribe through Stripe Checkout');
  // (A free member reads a few paid articles on the meter, so the way to pay is the account's
  // "Upgrade" button and the tier list, not the article's paywall.)
  await Promise.all([page.waitForURL(`${BASE_URL}/signup/`), page.getByRole('link', { name: 'Upgrade to a paid tier' }).click()]);
  const subscribe = page.locator('.tier.is-paid', { hasText: 'Subscriber+' }).getByRole('link', { name: /Subscribe monthly/ });
  check((await subscribe.count()) === 1, `no "Subscribe monthly" link for Subscriber+ on ${page.url()}`);
  const href = await subscribe.getAttribute('href');
  check(new URL(href, BASE_URL).pathname === '/members/checkout', `"Subscribe monthly" links to ${href}, not /members/checkout`);
  await clickThrough(page, subscribe, stripe.origin, '(i) "Subscribe monthly" to Checkout', consoleErrors);
  check((await page.locator('h1').innerText()) === 'Fake Stripe Checkout', `not on the Checkout page: ${page.url()}`);
  check((await page.locator('.product').innerText()).includes('Subscriber+'), 'Checkout does not sell Subscriber+');
  const session = stripe.requests.find((r) => r.path === '/v1/checkout/sessions');
  check(session && session.authorization === `Bearer ${FAKE_STRIPE_KEY}`, 'the Checkout Session was not created with the secret key as a Bearer token');
  check(session.contentType.startsWith('application/x-www-form-urlencoded'), `the Checkout Session request was sent as ${session.contentType}`);
  check(session.form.get('customer_email') === email && session.form.get('mode') === 'subscription', 'the Checkout Session does not name the member and mode=subscription');
  log(`at ${page.url()}: ${(await page.locator('.amount').innerText()).trim()}`);
  await Promise.all([page.waitForURL(`${BASE_URL}/account/?done=welcome`), page.getByRole('button', { name: 'Subscribe' }).click()]);
  check(stripe.webhooks.length === 2 && stripe.webhooks.every((w) => w.status === 200), `the site did not take both webhooks: ${JSON.stringify(stripe.webhooks)}`);
  const plan = await accountPlan(page);
  check(plan.includes('Plan: Subscriber+') && plan.includes('Active'), `back on /account/ the member is not an active Subscriber+: "${plan}"`);
  log(`back at ${page.url()}: "${plan}"`);

  begin('(j) the subscriber reads all of the article');
  const res = await page.goto(BASE_URL + articlePath);
  check(res && res.status() === 200, `GET ${articlePath} answered ${res && res.status()}`);
  const full = await assertFullText(page, '(j)');
  log(`gated text: ${full.length} characters`);

  begin('(k) open the Billing Portal and come back');
  await page.goto(`${BASE_URL}/account/`);
  const manage = page.getByRole('button', { name: 'Manage billing' });
  check((await manage.count()) === 1, 'no "Manage billing" button on /account/ for a paying member');
  await clickThrough(page, manage, stripe.origin, '(k) "Manage billing" (a form POST, then a redirect to the portal)', consoleErrors);
  check((await page.locator('h1').innerText()) === 'Fake Stripe Billing Portal', `not on the Billing Portal: ${page.url()}`);
  const portal = stripe.requests.find((r) => r.path === '/v1/billing_portal/sessions');
  check(portal.form.get('return_url') === `${BASE_URL}/account/`, `the portal returns to ${portal.form.get('return_url')}`);
  log(`at ${page.url()}`);
  await Promise.all([page.waitForURL(`${BASE_URL}/account/`), page.locator('a.return').click()]);
  check((await accountPlan(page)).includes('Plan: Subscriber+'), 'back from the portal, the account page lost the plan');
  log(`returned to ${page.url()}`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  check(BASE_URL.startsWith('http'), 'BASE_URL must be set, e.g. http://127.0.0.1:3000');
  check(DATA_DIR !== '', 'DATA_DIR must be set to the site\'s data directory');
  check(MASTHEAD_BIN !== '', 'MASTHEAD_BIN must be set to the masthead binary');
  const email = `reader-${Date.now()}-${process.pid}@example.com`;
  log(`site ${BASE_URL}, data ${DATA_DIR}, reader ${email}`);

  let stripe = null;
  if (FAKE_STRIPE_PORT) {
    begin('start the fake Stripe');
    check(FAKE_STRIPE_KEY !== '' && FAKE_STRIPE_WEBHOOK_SECRET !== '', 'FAKE_STRIPE_KEY and FAKE_STRIPE_WEBHOOK_SECRET must be set with FAKE_STRIPE_PORT');
    stripe = await startFakeStripe({ port: FAKE_STRIPE_PORT, siteUrl: BASE_URL, apiKey: FAKE_STRIPE_KEY, webhookSecret: FAKE_STRIPE_WEBHOOK_SECRET, log });
    log(`fake Stripe at ${stripe.origin}`);
  } else {
    check(process.env.CI !== 'true', 'FAKE_STRIPE_PORT is not set, but CI=true: the payment steps must run in CI');
  }

  begin('find a paid article');
  const articlePath = await findPaidArticle();
  const articleUrl = BASE_URL + articlePath;

  begin(`launch ${CHROMIUM}`);
  const browser = await launch(CHROMIUM, ['--disable-quic']);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    // What Lighthouse counts as console errors on our pages: failed loads (a missing
    // /favicon.ico), CSP refusals. The Stripe-shaped server's own pages are not ours to judge.
    const consoleErrors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && page.url().startsWith(`${BASE_URL}/`)) consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });

    begin('(a) anonymous reader sees the call to action');
    let res = await page.goto(articleUrl);
    check(res && res.status() === 200, `GET ${articlePath} answered ${res && res.status()}`);
    const preview = await assertPreview(page, '(a)');
    log(`paywall: "${preview.paywall}"`);
    await page.screenshot({ path: join(DATA_DIR, 'journey-preview.png'), fullPage: true });
    log(`screenshot ${join(DATA_DIR, 'journey-preview.png')}`);

    begin('(b) sign up through the form');
    // The paywall's button offers the Subscriber+ sign-up (which, once confirmed, goes on to
    // payment); this reader takes the plain sign-up, to be comped by the publisher instead.
    const cta = await page.locator('.paywall a.btn').first().getAttribute('href');
    check(cta && new URL(cta, BASE_URL).pathname === '/signup/', `the paywall's button links to ${cta}, not /signup/`);
    await signUp(page, email, 'Journey Reader');

    begin('(c) follow the emailed link');
    await followEmailedLink(page, email);

    begin('(d) comp Subscriber+ through the CLI');
    const args = ['member', 'comp', email, '--tier', 'subscriber-plus', '--data', DATA_DIR];
    try {
      const out = execFileSync(MASTHEAD_BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      log(`masthead ${args.join(' ')}: ${out.trim() || '(no output)'}`);
    } catch (err) {
      throw new Error(`masthead ${args.join(' ')} failed (exit ${err.status ?? err.signal ?? err.code}):\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }

    begin('(e) reload the article and read all of it');
    res = await page.goto(articleUrl);
    check(res && res.status() === 200, `GET ${articlePath} answered ${res && res.status()}`);
    await page.reload();
    const full = await assertFullText(page, '(e)');
    log(`gated text: ${full.length} characters, starting "${full.slice(0, 60)}…"`);
    await page.screenshot({ path: join(DATA_DIR, 'journey-full.png'), fullPage: true });
    log(`screenshot ${join(DATA_DIR, 'journey-full.png')}`);

    begin('(f) sign out and the text is gone again');
    await page.goto(`${BASE_URL}/account/`);
    check(new URL(page.url()).pathname === '/account/', `/account/ sent a signed-in reader to ${page.url()}`);
    await Promise.all([page.waitForURL(`${BASE_URL}/`), page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
    await page.goto(`${BASE_URL}/account/`);
    check(new URL(page.url()).pathname !== '/account/', '/account/ still opens after signing out');
    res = await page.goto(articleUrl);
    check(res && res.status() === 200, `GET ${articlePath} answered ${res && res.status()}`);
    await assertPreview(page, '(f) after navigating back');
    await page.reload();
    await assertPreview(page, '(f) after reloading');
    check(!(await page.content()).includes(full.slice(0, 80)), '(f) the gated text is still somewhere in the page source after signing out');

    begin('(g) search from the header, then clear the box');
    await page.goto(`${BASE_URL}/`);
    const headerBox = page.locator('#search-q');
    await headerBox.fill('sanctions');
    await Promise.all([page.waitForURL('**/search/?q=sanctions'), headerBox.press('Enter')]);
    const count = await page.locator('.search-count').innerText();
    check(/^\d+ results? for/.test(count), `the results page says "${count}"`);
    const hits = await page.locator('.search-hit').count();
    check(hits > 0, 'no search results for "sanctions"');
    check((await page.locator('.search-hit mark').count()) > 0, 'no highlighted matches in the results');
    const pageBox = page.locator('#search-page-q');
    check((await pageBox.inputValue()) === 'sanctions', 'the results page does not keep the query in its box');
    await page.locator('main .search-clear').click();
    check((await pageBox.inputValue()) === '', 'the clear button left the query in the box');
    check(await pageBox.evaluate((el) => el === document.activeElement), 'the box is not focused after clearing');
    await headerBox.fill('drones');
    await page.locator('.masthead-search .search-clear').click();
    check((await headerBox.inputValue()) === '', "the header box's clear button left its text");
    log(`${count}; ${hits} hits on the first page; clear button works`);

    if (stripe) {
      await payingJourney(page, stripe, articlePath, consoleErrors);
    } else {
      log('payment steps (h)-(k) skipped: FAKE_STRIPE_PORT is not set');
    }

    check(pageErrors.length === 0, `JavaScript errors on the pages: ${pageErrors.join('; ')}`);
    check(consoleErrors.length === 0, `console errors on the pages: ${consoleErrors.join('; ')}`);
    await context.close();
  } finally {
    await browser.close();
    if (stripe) await stripe.close();
  }
  log(`journey passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`journey FAILED at step ${step}: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
