// Builds the newsroom editor into crates/masthead/assets/admin/: editor.js (one minified IIFE),
// editor.css, and editor-licenses.txt with the licence of every package esbuild put in the
// bundle (read from its metafile). Run `npm ci && node build.mjs`; the outputs are committed,
// so `cargo build` never needs Node.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../crates/masthead/assets/admin');
mkdirSync(out, { recursive: true });
const banner = '/* Masthead newsroom editor. Third-party licences: editor-licenses.txt */';

const js = await build({
  entryPoints: [join(here, 'src/index.js')],
  outfile: join(out, 'editor.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2022'],
  legalComments: 'none',
  banner: { js: banner },
  metafile: true,
  logLevel: 'warning',
});
await build({
  entryPoints: [join(here, 'src/editor.css')],
  outfile: join(out, 'editor.css'),
  bundle: true,
  minify: true,
  logLevel: 'warning',
});

/** The package directories (`node_modules/…/name`) that contributed bytes to the bundle. */
function bundledPackages(metafile) {
  const dirs = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match && bytesInOutput > 0) dirs.add(match[1]);
    }
  }
  return [...dirs].sort();
}

function licence(dir) {
  const pkg = JSON.parse(readFileSync(join(here, dir, 'package.json'), 'utf8'));
  const file = readdirSync(join(here, dir)).find((f) => /^(licen[cs]e|copying)([.-]|$)/i.test(f));
  if (!file) throw new Error(`${pkg.name} has no licence file; add its text by hand before shipping`);
  const text = readFileSync(join(here, dir, file), 'utf8').trim();
  return `${pkg.name} ${pkg.version} (${pkg.license})\n${'-'.repeat(72)}\n${text}\n`;
}

const packages = bundledPackages(js.metafile);
const header =
  'Masthead newsroom editor (editor.js) bundles the following packages.\n' +
  'Each is listed with its version, SPDX licence and licence text.\n\n';
writeFileSync(join(out, 'editor-licenses.txt'), header + packages.map(licence).join('\n'));

for (const name of ['editor.js', 'editor.css']) {
  const bytes = readFileSync(join(out, name));
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`${name}: ${kb(bytes.length)} minified, ${kb(gzipSync(bytes, { level: 9 }).length)} gzipped`);
}
console.log(`editor-licenses.txt: ${packages.length} packages`);
