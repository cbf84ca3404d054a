// axe-core in a Playwright page: WCAG 2.x A and AA plus best practices, at a desktop and a phone
// width, for the newsroom journeys.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const WIDTHS = [{ width: 1280, height: 900 }, { width: 375, height: 740 }];

/// Runs axe-core on `page` at each width (`WIDTHS` unless given) and throws on any violation,
/// naming the rule and the elements; `log` gets one line per clean run. Leaves the page at the
/// first width.
export async function accessible(page, what, log, widths = WIDTHS) {
  for (const size of widths) {
    await page.setViewportSize(size);
    const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
    if (!loaded) await page.evaluate(AXE);
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
    const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    if (found.length) {
      throw new Error(`axe found ${found.length} violation(s) on ${what} at ${size.width}px:\n  ${found.join('\n  ')}`);
    }
    log(`axe: no violations on ${what} at ${size.width}px`);
  }
  await page.setViewportSize(widths[0]);
}
