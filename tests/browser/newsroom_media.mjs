// The newsroom's media library in Debian's headless Chromium: the owner sets the site up,
// uploads two images with the library's file picker, finds one by its alt text, edits the alt
// text, copies the URL, starts a post with the image as its lead image, is refused deleting it
// while the post shows it and deletes it once the post no longer does; then, on the editor page,
// puts a lead image in through the field's file input and by dropping a file onto the field.
// axe-core checks the library, an item and the editor page at a desktop and a 390 px phone
// width, and the library's actions are reached with the Tab key.
//
// Environment:
//   BASE_URL   the site (a fresh `masthead demo`, which has no owner yet)
//   CHROMIUM   optional, the browser to drive (default /usr/bin/chromium)
//
// Exits 0 when every step passes, 1 with the failing step otherwise.

import { accessible } from './axe.mjs';
import { journey, launch, png, setUpOwner, tabTo } from './helpers.mjs';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
const WIDTHS = [{ width: 1280, height: 900 }, { width: 390, height: 844 }];
const TITLE = 'Boats in the harbour';

const { log, begin, check, step } = journey('newsroom media');
const a11y = (page, what) => accessible(page, what, log, WIDTHS);

/// Uploads `name` with `alt` through the library page's form; returns the item page's URL.
async function upload(page, name, alt, width, height) {
  await page.goto(`${BASE_URL}/admin/media/`);
  await page.setInputFiles('#m-file', { name, mimeType: 'image/png', buffer: png(width, height) });
  await page.fill('#m-alt', alt);
  await Promise.all([page.waitForURL(/\/admin\/media\/[^/?]+\/$/), page.click('button:has-text("Upload")')]);
  check((await page.textContent('h1')).includes(name), `the item page of ${name}`);
  return page.url();
}

async function main() {
  check(BASE_URL, 'set BASE_URL');
  const browser = await launch(CHROMIUM);
  try {
    const context = await browser.newContext({ viewport: WIDTHS[0] });
    context.setDefaultTimeout(15_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
    const page = await context.newPage();

    begin('owner setup');
    await setUpOwner(page, BASE_URL, PASSWORD);

    begin('the empty library');
    await Promise.all([page.waitForURL(`${BASE_URL}/admin/media/`), page.click('nav a:has-text("Media")')]);
    await a11y(page, 'the empty library');

    begin('upload with the file picker');
    const harbour = await upload(page, 'harbour.png', 'Fishing boats at dawn', 800, 600);
    await a11y(page, 'an item');
    await upload(page, 'summit.png', 'A snowy peak', 640, 480);
    await page.goto(`${BASE_URL}/admin/media/`);
    check((await page.locator('.media-card').count()) === 2, 'two images in the library');
    await a11y(page, 'the library with two images');

    begin('search by alt text');
    await page.fill('#m-q', 'boats');
    await Promise.all([page.waitForURL(/\?q=boats/), page.keyboard.press('Enter')]);
    const found = await page.locator('.media-card .file-name').allTextContents();
    check(found.length === 1 && found[0] === 'harbour.png', `"boats" finds the harbour only: ${found}`);

    begin('the library by keyboard');
    await page.goto(`${BASE_URL}/admin/media/`);
    for (const target of ['#m-file', '#m-alt', '.media-upload button[type=submit]', '#m-q', '.media-card a']) {
      await tabTo(page, target);
      log(`Tab reaches ${target}`);
    }
    await Promise.all([page.waitForURL(/\/admin\/media\/[^/?]+\/$/), page.keyboard.press('Enter')]);
    for (const target of ['[data-copy]', 'a.button[href*="image="]', '#m-alt', 'form[action$="/alt"] button', '#m-file', 'form[action$="/replace"] button', 'form[action$="/delete"] button']) {
      await tabTo(page, target);
      log(`Tab reaches ${target}`);
    }

    begin('edit the alt text');
    await page.goto(harbour);
    await page.fill('#m-alt', 'Red fishing boats at dawn');
    await Promise.all([page.waitForURL(/\?done=saved$/), page.click('button:has-text("Save alt text")')]);
    check((await page.getAttribute('.media-item img', 'alt')) === 'Red fishing boats at dawn', 'the new alt text shows');
    check((await page.textContent('[role=status]')).trim().length > 0, 'a notice says it was saved');

    begin('copy the URL');
    const url = await page.inputValue('#m-url');
    check(/\/content\/images\/.+\.png$/.test(url), `a public URL: ${url}`);
    await page.click('[data-copy]');
    await page.waitForFunction(() => document.querySelector('[data-copy-status]').textContent === 'Copied.');
    check((await page.evaluate(() => navigator.clipboard.readText())) === url, 'the URL is on the clipboard');

    begin('use as lead image');
    await Promise.all([page.waitForURL(/\/admin\/posts\/new\/\?image=/), page.click('a:has-text("Use as lead image")')]);
    check((await page.inputValue('#e-image')) === url, 'the editor starts with the image');
    await page.fill('#e-title', TITLE);
    await page.fill('#e-alt', 'Boats');
    await Promise.all([page.waitForURL(/\/admin\/posts\/[^/]+\/\?saved=1$/), page.click('form.editor button[type=submit]')]);
    const post = page.url().replace(/\?saved=1$/, '');

    begin('delete refused while used');
    await page.goto(harbour);
    check((await page.locator(`li:has-text("${TITLE}")`).count()) === 1, 'the page says which post shows it');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Delete this image")')]);
    const refusal = await page.textContent('[role=alert]');
    check(refusal.includes(TITLE), `the refusal names the post: ${refusal}`);
    await a11y(page, 'a refused deletion');

    begin('delete allowed once unused');
    await page.goto(post);
    await page.fill('#e-image', '');
    await page.fill('#e-alt', '');
    await Promise.all([page.waitForURL(/\?saved=1$/), page.click('form.editor button[type=submit]')]);
    await page.goto(harbour);
    await Promise.all([page.waitForURL(/\/admin\/media\/\?done=deleted$/), page.click('button:has-text("Delete this image")')]);
    const left = await page.locator('.media-card .file-name').allTextContents();
    check(left.length === 1 && left[0] === 'summit.png', `only the summit is left: ${left}`);

    begin('the lead-image field: file input');
    await page.goto(post);
    await page.waitForSelector('.me-content');
    await a11y(page, 'the editor page');
    await page.setInputFiles('#e-image-file', { name: 'quay.png', mimeType: 'image/png', buffer: png(400, 300) });
    await page.waitForFunction(() => /\/content\/images\/.+quay.*\.png$/.test(document.querySelector('#e-image').value));
    await page.waitForFunction(() => /Uploaded/.test(document.querySelector('[data-lead-status]').textContent));
    // The preview is an <img> made on upload: visible once the browser has loaded it.
    await page.waitForSelector('[data-lead-preview]', { state: 'visible', timeout: 10000 })
      .catch(() => check(false, 'a preview of the uploaded image'));
    await page.fill('#e-alt', 'The quay');
    await Promise.all([page.waitForURL(/\?saved=1$/), page.click('form.editor button[type=submit]')]);
    check(/quay.*\.png$/.test(await page.inputValue('#e-image')), 'saved with the uploaded lead image');
    await a11y(page, 'the editor page with a lead image');

    begin('the lead-image field: drag and drop');
    const bytes = png(320, 240).toString('base64');
    await page.evaluate((b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'dropped.png', { type: 'image/png' }));
      const field = document.querySelector('[data-lead-field]');
      field.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      field.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await page.waitForFunction(() => /\/content\/images\/.+dropped.*\.png$/.test(document.querySelector('#e-image').value));
    await page.goto(`${BASE_URL}/admin/media/`);
    const names = await page.locator('.media-card .file-name').allTextContents();
    check(['dropped.png', 'quay.png', 'summit.png'].every((n) => names.includes(n)), `the uploads are in the library: ${names}`);
    log('every step passed');
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`newsroom media journey failed at step "${step()}": ${err.stack ?? err}`);
  process.exit(1);
});
