// The built bundle in Debian's Chromium (playwright-core from tests/browser): axe-core finds no
// violations (desktop, phone width, dialog, Markdown mode, conflict banner), the toolbar and
// editor work by keyboard, autosave, presence and an upload reach the fake endpoints of
// dev-server.mjs. Skipped without Chromium or playwright-core, except under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devServer } from '../dev-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const browserTests = join(here, '../../../tests/browser/package.json');
let chromium = null;
try {
  ({ chromium } = createRequire(browserTests)('playwright-core'));
} catch {
  chromium = null;
}
const missing = [!chromium && 'playwright-core (npm ci in tests/browser)', !existsSync(chromiumPath) && chromiumPath].filter(Boolean);
if (missing.length && process.env.CI === 'true') throw new Error(`browser check cannot run in CI: missing ${missing.join(', ')}`);
async function axe(page, what) {
  if (!(await page.evaluate(() => Boolean(globalThis.axe)))) {
    await page.addScriptTag({ url: new URL('/dev/axe.min.js', page.url()).href });
  }
  const result = await page.evaluate(() => globalThis.axe.run(document));
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `axe violations (${what})`);
}

const markdown = (page) => page.locator('textarea[name=markdown]').inputValue();

test('the editor in Chromium: accessible, usable by keyboard, saving and uploading', { skip: missing.length ? `skipped: chromium not available (${missing.join(', ')})` : false, timeout: 120_000 }, async (t) => {
  const server = await devServer();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Anything the site's Content-Security-Policy refuses surfaces as a console error.
  page.on('console', (m) => m.type() === 'error' && /Content Security Policy|Refused/.test(m.text()) && errors.push(m.text()));
  page.on('response', (r) => r.status() === 404 && !r.url().endsWith('/favicon.ico') && errors.push(`404 ${r.url()}`));
  await page.goto(base);
  await page.waitForSelector('.me-editor [role=textbox]');

  await t.test('the marked textarea became the rich editor, with every construct shown', async () => {
    assert.equal(await page.locator('textarea[name=markdown]').isHidden(), true);
    assert.equal(await page.locator('.me-paywall').innerText(), 'FREE PREVIEW ENDS HERE');
    assert.equal(await page.locator('.me-content aside.pull-quote').count(), 1);
    assert.equal(await page.locator('.me-content figure figcaption').innerText(), 'A tanker off the coast');
    assert.equal(await page.locator('.me-content .me-embed iframe').count(), 1);
    assert.equal(await page.locator('[data-command=paywall]').getAttribute('aria-disabled'), 'true');
    await axe(page, 'desktop');
  });

  await t.test('keyboard: one tab stop for the toolbar, arrows inside, shortcuts in the text', async () => {
    await page.focus('#title');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.command), 'bold');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.command), 'italic');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Story text');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('Breaking:');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' ');
    assert.match(await markdown(page), /^\*\*Breaking:\*\* The regime/);
    assert.equal(await page.locator('[data-command=bold]').getAttribute('aria-pressed'), 'false');
    await page.keyboard.press('Control+k');
    await page.waitForSelector('dialog.me-dialog[open]');
    await axe(page, 'link dialog');
    await page.keyboard.type('https://example.org/');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.me-dialog', { state: 'detached' });
    assert.match(await markdown(page), /^\*\*Breaking:\*\* <https:\/\/example\.org\/>/);
  });

  await t.test('autosave posts the form and says Saved; presence names the colleague', async () => {
    await page.waitForFunction(() => document.querySelector('.me-status').textContent.startsWith('Saved'), null, { timeout: 10_000 });
    assert.ok(server.saves.at(-1).markdown.startsWith('**Breaking:**'));
    assert.notEqual(await page.inputValue('input[name=base_revision]'), '1');
    assert.equal(await page.locator('.me-presence').innerText(), 'Nadia Rahman is editing');
  });

  await t.test('an image from the file picker is uploaded, then described', async () => {
    await page.keyboard.press('Control+End');
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-command=image]');
    await (await chooser).setFiles({ name: 'ship.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    await page.waitForSelector('dialog.me-dialog[open]');
    await page.keyboard.type('A navy rectangle');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Our test image');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.me-dialog', { state: 'detached' });
    assert.match(
      await markdown(page),
      /<figure><img src="\/dev\/ship\.svg" alt="A navy rectangle" width="640" height="360"><figcaption>Our test image<\/figcaption><\/figure>\n$/,
    );
  });

  await t.test('a Google Docs paste and a dropped image, in the real browser', async () => {
    await page.focus('.me-content');
    await page.keyboard.press('Control+End');
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData(
        'text/html',
        '<b style="font-weight:normal;" id="docs-internal-guid-0a1b2c3d"><h3 dir="ltr"><span style="font-size:14pt;font-weight:400">Pasted head</span></h3><p dir="ltr"><span style="font-weight:700">strong</span><span style="font-weight:400"> and plain</span></p></b>',
      );
      data.setData('text/plain', 'Pasted head\nstrong and plain');
      document.querySelector('.me-content').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    assert.match(await markdown(page), /\n### Pasted head\n\n\*\*strong\*\* and plain\n$/);
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'dropped.png', { type: 'image/png' }));
      const target = document.querySelector('.me-content h3');
      const box = target.getBoundingClientRect();
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, clientX: box.left + 2, clientY: box.top + 2 }));
    });
    await page.waitForSelector('dialog.me-dialog[open]');
    await page.keyboard.type('Dropped');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.me-dialog', { state: 'detached' });
    assert.match(await markdown(page), /!\[Dropped\]\(\/dev\/ship\.svg\)/);
  });

  await t.test('Markdown mode shows the source, and accessibility holds there', async () => {
    await page.click('[data-command=markdown]');
    assert.equal(await page.locator('textarea[name=markdown]').isVisible(), true);
    await axe(page, 'Markdown mode');
    await page.fill('textarea[name=markdown]', '## Only this\n');
    await page.click('[data-command=markdown]');
    assert.equal(await page.locator('.me-content h2').innerText(), 'Only this');
  });

  await t.test('at 375 px the editor fits and stays accessible', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling');
    await axe(page, 'phone width');
  });

  await t.test('a conflict stops autosave and offers reload or a copy', async () => {
    await page.fill('#title', 'A conflict');
    await page.waitForSelector('.me-conflict[role=alert]', { timeout: 10_000 });
    await axe(page, 'conflict banner');
    await page.click('text=Save mine as a copy');
    await page.waitForURL(base);
    assert.equal(server.submits.at(-1).url, '/dev/copy');
    // Browsers submit a textarea's line breaks as CRLF.
    assert.equal(server.submits.at(-1).form.markdown, '## Only this\r\n');
  });

  assert.deepEqual(errors, []);
});
