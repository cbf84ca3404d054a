// Small helpers shared by the newsroom's and the console's browser journeys: a journey's log and
// steps, launching Debian's Chromium, the owner's first-run set-up, a generated PNG to upload,
// and keyboard reachability.

import { crc32, deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/// A journey named `name`: `log` prints `[name   1.2s] message`, `begin` starts a step (which
/// `step()` names, for the failure message), `check` throws `message` unless `condition`.
export function journey(name) {
  const started = Date.now();
  let current = 'start';
  const log = (message) => console.log(`[${name} ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
  return {
    log,
    begin(next) {
      current = next;
      log(`step ${next}`);
    },
    check(condition, message) {
      if (!condition) throw new Error(message);
    },
    step: () => current,
  };
}

/// Headless Chromium at `executablePath` (Debian's by default), quiet: no sandbox (CI runs as
/// root), no GPU, no background traffic; `extra` flags are added.
export function launch(executablePath = process.env.CHROMIUM || '/usr/bin/chromium', extra = []) {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra],
  });
}

/// The first-run set-up at `${baseUrl}/admin/` as the owner Olga, with `password`; ends signed in
/// on the console's front page.
export async function setUpOwner(page, baseUrl, password) {
  await page.goto(`${baseUrl}/admin/`);
  await page.fill('#site_title', 'The Review');
  await page.fill('#name', 'Olga Owner');
  await page.fill('#email', 'olga@news.example');
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${baseUrl}/admin/`), page.click('button[type=submit]')]);
}

/// An 800×600 RGB gradient as PNG bytes: large enough for the 320 and 640 variants.
export function png(width = 800, height = 600) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 128], at + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/// Presses Tab (at most `max` times) until `selector` has the focus: proof it is reachable by keyboard.
export async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab`);
}
