// Tiers and offers in Debian's headless Chromium: the owner sets the site up, opens Tiers from
// the navigation, adds a tier with a monthly and a yearly price (after a price that cannot be
// read is explained and the typed values kept), sees it listed with its prices, adds a 20%-off
// offer on it from Offers, and a reader with no account opens the offer's page and sees the
// discount and the tier it is on. axe-core checks every page at a desktop and a 375 px phone
// width, and the tier form's fields are reached with the Tab key.
//
// Environment:
//   BASE_URL   the site (a fresh `masthead demo`, which has no owner yet and no Stripe keys)
//   CHROMIUM   optional, the browser to drive (default /usr/bin/chromium)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { accessible } from './axe.mjs';
import { journey, launch, setUpOwner, tabTo } from './helpers.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';

const { log, begin, check, step } = journey('console tiers');
const a11y = (page, what) => accessible(page, what, log);

async function main() {
  check(BASE_URL, 'set BASE_URL');
  const browser = await launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();

    begin('owner setup');
    await setUpOwner(page, BASE_URL, PASSWORD);

    begin('the tiers list');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/tiers/`), page.click('nav a:has-text("Tiers")')]);
    check(await page.isVisible('tr[data-tier="free"]'), 'the free tier is listed');
    await a11y(page, 'the tiers list');

    begin('the tier form by keyboard');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/tiers/new/`), page.click('a:has-text("New tier")')]);
    for (const target of ['#tier-name', '#tier-slug', '#tier-description', '#tier-benefits', '#tier-monthly', '#tier-yearly', '#tier-currency', '#tier-visible']) {
      await tabTo(page, target);
      log(`Tab reaches ${target}`);
    }
    await a11y(page, 'the new tier form');

    begin('a price that cannot be read');
    await page.fill('#tier-name', 'Analyst');
    await page.fill('#tier-benefits', 'Every analysis\nThe weekly data letter');
    await page.fill('#tier-monthly', 'fifteen');
    await page.fill('#tier-yearly', '150');
    await page.click('button:has-text("Save tier")');
    await page.waitForSelector('[role=alert]');
    const error = (await page.textContent('[role=alert]')) ?? '';
    check(error.includes('is not a price'), `the error says what is wrong: ${error}`);
    check((await page.inputValue('#tier-name')) === 'Analyst', 'the typed name is kept');
    check((await page.inputValue('#tier-yearly')) === '150.00' || (await page.inputValue('#tier-yearly')) === '150', 'the typed yearly price is kept');
    await a11y(page, 'the tier form with an error');

    begin('add a tier with prices');
    await page.fill('#tier-monthly', '15');
    await Promise.all([page.waitForURL(/\/admin\/tiers\/\?payments=off$/), page.click('button:has-text("Save tier")')]);
    const row = (await page.textContent('tr[data-tier="analyst"]')) ?? '';
    check(row.includes('Analyst') && row.includes('15') && row.includes('150'), `the tier is listed with its prices: ${row}`);
    check((await page.textContent('[role=status]')).includes('Payments are off'), 'the notice says payments are off');
    await a11y(page, 'the tiers list with the new tier');

    begin('add an offer');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/offers/`), page.click('nav a:has-text("Offers")')]);
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/offers/new/`), page.click('a:has-text("New offer")')]);
    await a11y(page, 'the new offer form');
    await page.fill('#offer-name', 'Spring sale');
    await page.fill('#offer-code', 'SPRING20');
    await page.fill('#offer-title', 'Spring: 20% off');
    await page.selectOption('#offer-tier', { label: 'Analyst' });
    await page.selectOption('#offer-kind', 'percent');
    await page.fill('#offer-amount', '20');
    await page.selectOption('#offer-duration', 'repeating');
    await page.fill('#offer-months', '3');
    await Promise.all([page.waitForURL(/\/admin\/offers\/\?payments=/), page.click('button:has-text("Save offer")')]);
    const offer = (await page.textContent('tr[data-offer="SPRING20"]')) ?? '';
    check(offer.includes('Analyst') && offer.includes('20% off for 3 months'), `the offer is listed with its terms: ${offer}`);
    await a11y(page, 'the offers list');

    begin('a reader opens the offer');
    const reader = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    reader.setDefaultTimeout(15_000);
    const landing = await reader.newPage();
    const res = await landing.goto(`${BASE_URL}/offers/SPRING20/`);
    check(res.status() === 200, `the offer page answers 200, not ${res.status()}`);
    check((await landing.textContent('h1')).includes('Spring: 20% off'), 'the display title is the heading');
    const terms = (await landing.textContent('#offer-heading')) ?? '';
    check(terms.includes('20% off for 3 months on Analyst'), `the reader sees the discount: ${terms}`);
    check(await landing.isVisible('#offer-email'), 'the reader can sign up from the page');
    await a11y(landing, 'the offer page');
    await reader.close();

    log('all steps passed');
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`console tiers journey failed at step "${step()}": ${err.stack ?? err}`);
  process.exit(1);
});
