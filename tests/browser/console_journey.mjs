// The publisher's console journey in Debian's headless Chromium (issue 16 §5), against a fresh
// `masthead demo` whose Stripe is the local Stripe-shaped server in fake-stripe.mjs:
//
//   (a) the owner sets the site up and is signed in to /admin/;
//   (b) creates the tier "Analyst" at $15 a month (Stripe gets a Product and a 1500 usd Price);
//   (c) creates the offer ANALYST20, 20% off Analyst monthly for 3 months (Stripe gets a Coupon);
//   (d) a reader opens /offers/ANALYST20/, signs up through the emailed link, pays on Checkout
//       with the discount shown, and comes back to an account on the Analyst plan;
//   (e) the owner finds the reader paid on Analyst with the offer, and the offer redeemed once;
//   (f) labels another member and comps them Analyst until a date, and sees both on their page;
//   (g) imports a generated 1,000-row CSV in Ghost's columns with 3 bad rows: the dry run names
//       the 3 rows, the import (in the background, its page showing progress) adds 997 and the members count grows by 997;
//   (h) changes the free paragraphs in Settings → Access, waits for the re-split to finish, and
//       an anonymous reader sees exactly that many paragraphs of a paid post before the paywall.
//
// axe-core checks the tier, offer, member, import and settings pages at 1280 and 375 px.
// On failure every open page is screenshotted into DATA_DIR.
//
// Environment:
//   BASE_URL, DATA_DIR, MASTHEAD_BIN     the site, its data directory (outbox, screenshots, the
//                                        CSV) and the binary (`masthead post add`)
//   FAKE_STRIPE_PORT, FAKE_STRIPE_KEY, FAKE_STRIPE_WEBHOOK_SECRET
//                                        where the fake Stripe listens (the site's
//                                        MASTHEAD_STRIPE_API_BASE), the key the site sends and
//                                        the webhook signing secret it expects
//   CHROMIUM                             optional, the browser (default /usr/bin/chromium)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journey, launch, setUpOwner } from './helpers.mjs';
import { accessible } from './axe.mjs';
import { startFakeStripe } from './fake-stripe.mjs';
import { waitForEmail } from './outbox.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const DATA_DIR = process.env.DATA_DIR ?? '';
const MASTHEAD_BIN = process.env.MASTHEAD_BIN ?? '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FAKE_STRIPE_PORT = Number(process.env.FAKE_STRIPE_PORT ?? 0);
const FAKE_STRIPE_KEY = process.env.FAKE_STRIPE_KEY ?? '';
const FAKE_STRIPE_WEBHOOK_SECRET = process.env.FAKE_STRIPE_WEBHOOK_SECRET ?? '';
const PASSWORD = 'correct horse battery staple';

const { log, begin, check, step } = journey('console journey');
const a11y = (page, what) => accessible(page, what, log);
const text = async (locator) => ((await locator.innerText()) ?? '').replace(/\s+/g, ' ').trim();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// A date `days` from today as YYYY-MM-DD (what an <input type=date> holds).
function isoDate(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/// 1,000 members in Ghost's export columns; rows 101 and 502 (as a spreadsheet numbers them,
/// the header being row 1) have addresses that are not addresses and row 903 a created_at that is
/// not a date.
function thousandMembers(stamp) {
  const lines = ['id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers'];
  for (let i = 0; i < 1000; i++) {
    const row = i + 2;
    const email = row === 101 ? `imported-${stamp}-${i}.example.com` : row === 502 ? `imported-${stamp}-${i}@` : `imported-${stamp}-${i}@example.com`;
    const created = row === 903 ? 'last tuesday' : `2024-0${1 + (i % 9)}-1${i % 10}T09:30:00.000Z`;
    lines.push(`,${email},Imported Reader ${i},"Came from the old site, row ${row}",${i % 3 === 0 ? 'false' : 'true'},,,${created},,old-site,`);
  }
  return `${lines.join('\n')}\n`;
}

/// The members count the list shows (its `data-total`), in a tab of its own.
async function membersTotal(context) {
  const tab = await context.newPage();
  try {
    await tab.goto(`${BASE_URL}/admin/members/`);
    return Number(await tab.getAttribute('#members-count [data-total]', 'data-total'));
  } finally {
    await tab.close();
  }
}

/// The numbered paragraphs ("Ledger paragraph N.") an anonymous reader sees of the post.
async function freeParagraphs(browser, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const res = await page.goto(BASE_URL + path);
    check(res && res.status() === 200, `GET ${path} answered ${res && res.status()}`);
    check((await page.locator('.paywall').count()) === 1, `an anonymous reader sees no paywall on ${path}`);
    check((await page.locator('.gated').count()) === 0, `an anonymous reader gets the gated part of ${path}`);
    const shown = (await page.locator('.post-content').innerText()).match(/Ledger paragraph \d+\./g) ?? [];
    return shown.length;
  } finally {
    await context.close();
  }
}

async function main() {
  check(BASE_URL.startsWith('http'), 'set BASE_URL');
  check(DATA_DIR !== '' && MASTHEAD_BIN !== '', 'set DATA_DIR and MASTHEAD_BIN');
  check(FAKE_STRIPE_PORT && FAKE_STRIPE_KEY && FAKE_STRIPE_WEBHOOK_SECRET, 'set FAKE_STRIPE_PORT, FAKE_STRIPE_KEY and FAKE_STRIPE_WEBHOOK_SECRET');
  const stripe = await startFakeStripe({ port: FAKE_STRIPE_PORT, siteUrl: BASE_URL, apiKey: FAKE_STRIPE_KEY, webhookSecret: FAKE_STRIPE_WEBHOOK_SECRET, log });
  log(`fake Stripe at ${stripe.origin}`);
  const browser = await launch(CHROMIUM, ['--disable-quic']);
  const pages = [];
  try {
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    admin.setDefaultTimeout(20_000);
    const page = await admin.newPage();
    pages.push(['admin', page]);
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));

    begin('(a) the owner sets the site up and is in the console');
    await setUpOwner(page, BASE_URL, PASSWORD);
    check((await page.locator('nav a:has-text("Members")').count()) > 0, 'the console navigation has no Members link');

    begin('(b) a tier "Analyst" at $15 a month');
    await page.goto(`${BASE_URL}/admin/tiers/`);
    await a11y(page, 'the tiers list');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/tiers/new/`), page.click('a:has-text("New tier")')]);
    await a11y(page, 'the new tier form');
    await page.fill('#tier-name', 'Analyst');
    await page.fill('#tier-description', 'Data, briefings and the analysts’ notes.');
    await page.fill('#tier-benefits', 'Every paid article\nThe weekly data briefing');
    await page.fill('#tier-monthly', '15');
    await page.fill('#tier-yearly', '');
    await page.fill('#tier-currency', 'usd');
    await Promise.all([page.waitForURL(/\/admin\/tiers\/\?payments=/), page.click('button:has-text("Save tier")')]);
    check(page.url().endsWith('payments=synced'), `saving the tier ended at ${page.url()}, not "synced" with Stripe`);
    const tierNotice = await text(page.locator('p.ok[role=status]'));
    check(tierNotice.includes('Stripe is up to date'), `the tiers page says "${tierNotice}"`);
    const tierRow = await text(page.locator('tr[data-tier="analyst"]'));
    check(tierRow.includes('Analyst') && tierRow.includes('15') && tierRow.includes('Active'), `the Analyst row reads "${tierRow}"`);
    const products = [...stripe.products.values()].filter((p) => p.name === 'Analyst');
    check(products.length === 1, `Stripe has ${products.length} Analyst products`);
    const prices = [...stripe.prices.values()].filter((p) => p.product === products[0].id);
    check(prices.length === 1 && prices[0].unit_amount === 1500 && prices[0].currency === 'usd' && prices[0].recurring.interval === 'month',
      `Stripe's Analyst prices: ${JSON.stringify(prices)}`);
    check(stripe.requests.filter((r) => r.path.startsWith('/v1/pr')).every((r) => r.authorization === `Bearer ${FAKE_STRIPE_KEY}` && r.idempotencyKey),
      'a catalog call came without the secret key or an Idempotency-Key');
    log(`tier row: "${tierRow}"; Stripe product ${products[0].id}, price ${prices[0].id}`);
    await a11y(page, 'the tiers list with Analyst');

    begin('(c) the offer ANALYST20');
    await page.goto(`${BASE_URL}/admin/offers/`);
    await a11y(page, 'the offers list');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/offers/new/`), page.click('a:has-text("New offer")')]);
    await a11y(page, 'the new offer form');
    await page.fill('#offer-name', 'Analyst launch');
    await page.fill('#offer-code', 'ANALYST20');
    await page.fill('#offer-title', 'Analyst: 20% off for three months');
    await page.selectOption('#offer-tier', { label: 'Analyst' });
    await page.selectOption('#offer-cadence', 'month');
    await page.selectOption('#offer-kind', 'percent');
    await page.fill('#offer-amount', '20');
    await page.selectOption('#offer-duration', 'repeating');
    await page.fill('#offer-months', '3');
    await Promise.all([page.waitForURL(/\/admin\/offers\/(\?.*)?$/), page.click('button:has-text("Save offer")')]);
    const offerRow = page.locator('tr[data-offer="ANALYST20"]');
    check((await offerRow.count()) === 1, `no ANALYST20 row on ${page.url()}: ${await text(page.locator('main'))}`);
    check((await text(offerRow.locator('.redemptions'))) === '0', 'a new offer is already redeemed');
    const coupons = [...stripe.coupons.values()];
    check(coupons.length === 1 && coupons[0].percent_off === 20 && coupons[0].duration === 'repeating' && coupons[0].duration_in_months === 3,
      `Stripe's coupons: ${JSON.stringify(coupons)}`);
    log(`offer row: "${await text(offerRow)}"; Stripe coupon ${coupons[0].id}`);
    await a11y(page, 'the offers list with ANALYST20');

    begin('(d) a reader redeems ANALYST20 through Checkout');
    const readerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    readerContext.setDefaultTimeout(20_000);
    const reader = await readerContext.newPage();
    pages.push(['reader', reader]);
    reader.on('pageerror', (err) => pageErrors.push(String(err)));
    const email = `analyst-${Date.now()}@example.com`;
    let res = await reader.goto(`${BASE_URL}/offers/ANALYST20/`);
    check(res && res.status() === 200, `/offers/ANALYST20/ answered ${res && res.status()}`);
    const pitch = await text(reader.locator('#offer-heading'));
    check(pitch.includes('Analyst') && pitch.includes('20%'), `the offer page says "${pitch}"`);
    await reader.fill('#offer-name', 'Ana Lyst');
    await reader.fill('#offer-email', email);
    await Promise.all([reader.waitForURL('**/members/signup'), reader.click('button:has-text("Create account")')]);
    const mail = await waitForEmail(join(DATA_DIR, 'outbox'), email, 15_000);
    const plain = mail.parts.find((p) => p.type === 'text/plain');
    const link = plain && plain.text.match(/https?:\/\/[^\s<>"']+\/members\/verify\?token=[^\s<>"']+/);
    check(link, `no sign-in link in the email to ${email}`);
    await reader.goto(link[0]);
    check(new URL(reader.url()).pathname === '/offers/ANALYST20/', `the emailed link landed on ${reader.url()}, not back on the offer`);
    await Promise.all([
      reader.waitForURL((url) => url.origin === stripe.origin),
      reader.click('a:has-text("Continue to checkout")'),
    ]);
    const product = await text(reader.locator('.product'));
    const discount = await text(reader.locator('.discount'));
    const total = await text(reader.locator('.total'));
    check(product === 'Analyst', `Checkout sells "${product}"`);
    check(discount.includes('20% off for 3 months'), `Checkout's discount reads "${discount}"`);
    check(total.includes('12.00 usd'), `Checkout's total reads "${total}"`);
    const session = stripe.requests.findLast((r) => r.path === '/v1/checkout/sessions');
    check(session.form.get('discounts[0][coupon]') === coupons[0].id, 'the Checkout Session does not carry the offer\'s coupon');
    check(session.form.get('line_items[0][price]') === prices[0].id, 'the Checkout Session does not sell the Analyst Price');
    log(`Checkout: ${product}, ${await text(reader.locator('.amount'))}; ${discount}; ${total}`);
    await Promise.all([reader.waitForURL(`${BASE_URL}/account/?done=welcome`), reader.click('button:has-text("Subscribe")')]);
    check(stripe.webhooks.every((w) => w.status === 200), `the site refused a webhook: ${JSON.stringify(stripe.webhooks.map((w) => [w.type, w.status]))}`);
    const sub = stripe.webhooks.find((w) => w.type === 'customer.subscription.created').object;
    check(sub.discount?.coupon?.id === coupons[0].id && sub.metadata.offer, 'the subscription webhook carries no discount or offer');
    const plan = await text(reader.locator('.account-page .facts'));
    check(plan.includes('Plan: Analyst') && plan.includes('Active'), `the account says "${plan}"`);
    log(`account: "${plan}"`);

    begin('(e) the owner sees the reader paid on Analyst with the offer');
    await page.goto(`${BASE_URL}/admin/members/?search=${encodeURIComponent(email)}`);
    await Promise.all([page.waitForURL(/\/admin\/members\/[^/?]+\/$/), page.click('a:has-text("Ana Lyst")')]);
    const paid = await text(page.locator('#member-subscription'));
    check(paid.includes('Analyst') && /active/i.test(paid), `the member's subscription reads "${paid}"`);
    check(paid.includes('Analyst launch (ANALYST20)') && paid.includes('20%'), `the member's subscription names no offer: "${paid}"`);
    log(`member: "${paid}"`);
    await a11y(page, 'a paying member');
    await page.goto(`${BASE_URL}/admin/offers/`);
    check((await text(offerRow.locator('.redemptions'))) === '1', `ANALYST20 redemptions: ${await text(offerRow.locator('.redemptions'))}`);

    begin('(f) label and comp another member');
    await page.goto(`${BASE_URL}/admin/members/`);
    await Promise.all([page.waitForURL(/\/admin\/members\/[^/?]+\/$/), page.click('a:has-text("Riley Reader")')]);
    const riley = page.url();
    await page.fill('#member-new-labels', 'Analyst trial');
    await Promise.all([page.waitForURL(/\?saved=labels$/), page.click('button:has-text("Save labels")')]);
    const until = isoDate(30);
    await page.selectOption('#comp-tier', 'analyst');
    await page.fill('#comp-until', until);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(riley) && url.href !== riley), page.click('button:has-text("Give for free")')]);
    await page.goto(riley);
    check(await page.isChecked('#member-labels input[value="Analyst trial"]'), 'the new label is not ticked on the member page');
    const comped = await text(page.locator('#member-subscription'));
    const endsAt = await page.getAttribute('#member-subscription time', 'datetime');
    check(comped.includes('Analyst') && /comp/i.test(comped), `Riley's subscription reads "${comped}"`);
    check((endsAt ?? '').startsWith(until), `the comp ends ${endsAt}, not ${until}`);
    log(`Riley: "${comped}" (${endsAt})`);
    await a11y(page, 'a labelled, comped member');

    begin('(g) import 1,000 members with 3 bad rows');
    const before = await membersTotal(admin);
    const csv = join(DATA_DIR, 'console-journey-members.csv');
    writeFileSync(csv, thousandMembers(Date.now()));
    await page.goto(`${BASE_URL}/admin/members/import/`);
    await a11y(page, 'the import page');
    await page.setInputFiles('#import-file', csv);
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/members/import/`), page.click('button:has-text("Check the file")')]);
    const count = async (what) => (await text(page.locator(`[data-count="${what}"]`)));
    check((await text(page.locator('#report-heading'))).startsWith('Dry run'), 'the first upload is not a dry run');
    check((await count('added')) === '997' && (await count('errors')) === '3', `the dry run would add ${await count('added')} with ${await count('errors')} bad rows`);
    const errors = await page.locator('ul.import-errors li').allInnerTexts();
    check(errors.length === 3 && errors[0].startsWith('row 101:') && errors[1].startsWith('row 502:') && errors[2].startsWith('row 903:') && errors[2].includes('created_at'),
      `the dry run reports: ${JSON.stringify(errors)}`);
    log(`dry run: "${await text(page.locator('#import-summary'))}"; ${errors.join(' | ')}`);
    check((await membersTotal(admin)) === before, 'the dry run wrote members');
    await a11y(page, 'the dry-run report');
    await Promise.all([page.waitForURL(/\/admin\/members\/import\/[\w-]+\/$/), page.click('button:has-text("Import 997 new")')]);
    // The import runs in the background; its page shows the progress, and "Check again" until
    // the report is there.
    for (let i = 0; i < 120 && (await page.locator('#import-progress').count()); i++) {
      log(`progress: "${await text(page.locator('#import-progress'))}"`);
      if (i === 0) await a11y(page, 'the import status page');
      await page.waitForTimeout(500);
      await Promise.all([page.waitForEvent('load'), page.click('#check-again')]);
    }
    await page.waitForSelector('#report-heading', { timeout: 10_000 });
    await a11y(page, 'the import report');
    check((await text(page.locator('#report-heading'))) === 'Import finished' && (await count('added')) === '997', `after confirming: ${await text(page.locator('#import-summary'))}`);
    const after = await membersTotal(admin);
    check(after === before + 997, `the list counted ${before} members, then ${after}`);
    log(`members: ${before} → ${after}`);

    begin('(h) fewer free paragraphs, re-split, and an anonymous reader sees that many');
    const post = join(DATA_DIR, 'console-journey-post.md');
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Ledger paragraph ${i + 1}. The harbour authority's ledgers show the tonnage moving through the port, and what it meant for the town.`);
    writeFileSync(post, `---\ntitle: The harbour ledgers\nslug: the-harbour-ledgers\nvisibility: paid\n---\n${paragraphs.join('\n\n')}\n`);
    execFileSync(MASTHEAD_BIN, ['post', 'add', '--data', DATA_DIR, post], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    await page.goto(`${BASE_URL}/admin/settings/`);
    const current = Number(await page.inputValue('#setting-free_paragraphs'));
    const shownBefore = await freeParagraphs(browser, '/the-harbour-ledgers/');
    check(shownBefore === current, `with ${current} free paragraphs an anonymous reader sees ${shownBefore}`);
    const wanted = current === 1 ? 3 : 1;
    await a11y(page, 'the settings page');
    await page.fill('#setting-free_paragraphs', String(wanted));
    await Promise.all([page.waitForURL(/\/admin\/settings\//), page.click('button:has-text("Save Access")')]);
    let progress = '';
    for (let i = 0; i < 60; i++) {
      const status = await page.getAttribute('#access [data-resplit]', 'data-resplit').catch(() => null);
      progress = await text(page.locator('#access [data-resplit]')).catch(() => '(no progress shown)');
      if (status === 'done' || status === 'failed') break;
      await sleep(500);
      await page.goto(`${BASE_URL}/admin/settings/#access`);
    }
    check(progress.startsWith('The last re-split finished'), `the Access group says "${progress}"`);
    log(`Access: "${progress}"`);
    await a11y(page, 'the settings page after the re-split');
    const shownAfter = await freeParagraphs(browser, '/the-harbour-ledgers/');
    check(shownAfter === wanted, `after setting ${wanted} free paragraphs an anonymous reader sees ${shownAfter}`);
    log(`free paragraphs: ${current} → ${wanted}; the anonymous reader saw ${shownBefore}, now ${shownAfter}`);

    check(pageErrors.length === 0, `JavaScript errors on the pages: ${pageErrors.join('; ')}`);
  } catch (err) {
    for (const [name, p] of pages) {
      const path = join(DATA_DIR, `console-journey-${name}-failure.png`);
      await p.screenshot({ path, fullPage: true }).then(() => log(`screenshot ${path} (${p.url()})`), () => {});
    }
    throw err;
  } finally {
    await browser.close();
    await stripe.close();
  }
}

main().then(
  () => log('console journey: every step passed'),
  (e) => {
    console.error(`console journey failed at step "${step()}": ${e.stack ?? e}`);
    process.exit(1);
  },
);
