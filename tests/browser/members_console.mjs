// The members console in Debian's headless Chromium: the owner sets the site up, opens Members
// from the navigation, narrows the list with a quick filter, a typed filter and a search, sees
// a filter that cannot be read explained next to the field, opens a member, gives them a new
// label and a note and saves, and finds the label in the list, on the labels page and in the
// bulk confirmation. axe-core checks every page at a desktop and a 375 px phone width, and the
// list's and the member page's fields are reached with the Tab key.
//
// Environment:
//   BASE_URL   the site (a fresh `masthead demo`, which has no owner yet and two members:
//              Riley Reader, free, and Sam Subscriber, comped)
//   CHROMIUM   optional, the browser to drive (default /usr/bin/chromium)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { accessible } from './axe.mjs';
import { journey, launch, setUpOwner, tabTo } from './helpers.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';

const { log, begin, check, step } = journey('members console');
const a11y = (page, what) => accessible(page, what, log);
const rows = (page) => page.locator('tr[data-member]').evaluateAll((trs) => trs.map((tr) => tr.dataset.member).sort());

async function main() {
  check(BASE_URL, 'set BASE_URL');
  const browser = await launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();

    begin('owner setup');
    await setUpOwner(page, BASE_URL, PASSWORD);

    begin('the members list');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/members/`), page.click('nav a:has-text("Members")')]);
    const all = await rows(page);
    check(all.join() === 'reader@example.com,subscriber@example.com', `both demo members: ${all}`);
    check((await page.textContent('#members-count')).includes('2'), 'the count says 2');
    await a11y(page, 'the members list');

    begin('the list by keyboard');
    for (const target of ['#members-search', '#members-filter', '.member-search button[type=submit]', '.presets a']) {
      await tabTo(page, target);
      log(`Tab reaches ${target}`);
    }

    begin('a quick filter');
    await Promise.all([page.waitForURL(/filter=status%3Acomped/), page.click('.presets a:has-text("Comped")')]);
    check((await rows(page)).join() === 'subscriber@example.com', 'Comped shows Sam only');
    check((await page.getAttribute('.presets a:has-text("Comped")', 'aria-current')) === 'true', 'the preset is marked');

    begin('a typed filter');
    await page.fill('#members-filter', 'status:free');
    await Promise.all([page.waitForURL(/filter=status%3Afree/), page.press('#members-filter', 'Enter')]);
    check((await rows(page)).join() === 'reader@example.com', 'status:free shows Riley only');

    begin('a search');
    await page.fill('#members-filter', '');
    await page.fill('#members-search', 'SAM');
    await Promise.all([page.waitForURL(/search=SAM/), page.press('#members-search', 'Enter')]);
    check((await rows(page)).join() === 'subscriber@example.com', 'the search finds Sam by name');

    begin('a filter that cannot be read');
    await page.fill('#members-search', '');
    await page.fill('#members-filter', 'status:(paid');
    await Promise.all([page.waitForURL(/filter=status/), page.press('#members-filter', 'Enter')]);
    const error = (await page.textContent('#members-filter-error')) ?? '';
    check(error.startsWith('This filter cannot be read'), `the error is next to the field: ${error}`);
    check((await page.getAttribute('#members-filter', 'aria-invalid')) === 'true', 'the field is marked invalid');
    check((await page.inputValue('#members-filter')) === 'status:(paid', 'the typed filter is kept');
    await a11y(page, 'the list with a filter error');

    begin('open a member');
    await page.goto(`${BASE_URL}/admin/members/`);
    await Promise.all([page.waitForURL(/\/admin\/members\/[^/]+\/$/), page.click('a:has-text("Riley Reader")')]);
    const member = page.url();
    check((await page.textContent('h1')).trim() === 'Riley Reader', 'the member page');
    await a11y(page, 'a member');

    begin('the member page by keyboard');
    for (const target of ['#member-name', '#member-email', '#member-note', '#member-subscribed', '#member-new-labels', '#comp-tier', '#comp-until']) {
      await tabTo(page, target);
      log(`Tab reaches ${target}`);
    }

    begin('add a label and save');
    await page.fill('#member-new-labels', 'Early reader');
    await Promise.all([page.waitForURL(/\?saved=labels$/), page.click('button:has-text("Save labels")')]);
    check((await page.textContent('#member-notice')).includes('Labels saved'), 'a notice says the labels were saved');
    check(await page.isChecked('#member-labels input[value="Early reader"]'), 'the new label is ticked');
    await page.fill('#member-note', 'Wrote in about the harbour story');
    await Promise.all([page.waitForURL(/\?saved=details$/), page.click('button:has-text("Save details")')]);
    check((await page.inputValue('#member-note')) === 'Wrote in about the harbour story', 'the note is saved');
    await a11y(page, 'a member after saving');

    begin('the label in the list');
    await page.goto(`${BASE_URL}/admin/members/`);
    await Promise.all([page.waitForURL(/filter=label%3Aearly-reader/), page.click('.presets a:has-text("Early reader")')]);
    check((await rows(page)).join() === 'reader@example.com', 'the label filter finds Riley');
    check((await page.textContent('tr[data-member="reader@example.com"]')).includes('Early reader'), 'the labels column shows it');

    begin('a bulk confirmation');
    await page.selectOption('#bulk-add-label', { label: 'Early reader' });
    await Promise.all([page.waitForURL(/\/admin\/members\/bulk\?/), page.click('button:has-text("Add label…")')]);
    check((await page.textContent('#bulk-question')).includes('1 member'), 'the confirmation counts the members');
    await a11y(page, 'a bulk confirmation');

    begin('the labels page');
    await page.goto(`${BASE_URL}/admin/members/labels/`);
    check((await page.textContent('tr[data-label="early-reader"]')).includes('1 member'), 'the label with its count');
    await a11y(page, 'the labels page');
    await Promise.all([page.waitForURL(/\/admin\/members\/labels\/[^/]+\/$/), page.click('a:has-text("Early reader")')]);
    await a11y(page, 'a label');

    begin('back to the member');
    await page.goto(member);
    check((await page.inputValue('#member-note')) === 'Wrote in about the harbour story', 'the note is still there');
  } finally {
    await browser.close();
  }
}

main().then(
  () => log('members console: every step passed'),
  (e) => {
    console.error(`members console failed at step "${step()}": ${e.stack ?? e}`);
    process.exit(1);
  },
);
