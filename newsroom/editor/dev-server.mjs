// Serves dev.html and the built bundle with fake newsroom endpoints, for trying the editor by
// hand (`node dev-server.mjs`, then http://127.0.0.1:5178/) and for check-browser.mjs.
// Autosave answers 200 with a new revision, or 409 once the title contains "conflict";
// presence names one colleague; uploads answer a fixed image, or 413 for files over 1 MB.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, '../../crates/masthead/assets/admin');
// The site's policy (crates/masthead/src/http/csp.rs), so the page runs under what /admin/ sends.
const CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
  'frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com ' +
  "https://w.soundcloud.com https://open.spotify.com; frame-ancestors 'self'; base-uri 'self'; " +
  "object-src 'none'; form-action 'self'";
const SHIP = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="640" height="360" fill="#14213d"/></svg>';

export function devServer(port = 0) {
  let revision = 1;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const json = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const file = (path, type) => {
        res.writeHead(200, { 'content-type': type, 'content-security-policy': CSP });
        res.end(readFileSync(path));
      };
      if (req.url === '/') return file(join(here, 'dev.html'), 'text/html; charset=utf-8');
      // axe-core for the browser test, from this package's devDependencies: served from the
      // same origin, as the page's policy allows no injected inline script.
      if (req.url === '/dev/axe.min.js') return file(join(here, 'node_modules/axe-core/axe.min.js'), 'text/javascript');
      if (req.url === '/dev.css') return file(join(here, 'dev.css'), 'text/css');
      if (req.url === '/assets/admin/editor.js') return file(join(assets, 'editor.js'), 'text/javascript');
      if (req.url === '/assets/admin/editor.css') return file(join(assets, 'editor.css'), 'text/css');
      if (req.url === '/dev/ship.svg') {
        res.writeHead(200, { 'content-type': 'image/svg+xml' });
        return res.end(SHIP);
      }
      if (req.headers['x-csrf-token'] !== 'dev-token' && req.url.startsWith('/dev/') && req.method === 'POST' && req.url !== '/dev/save' && req.url !== '/dev/copy') {
        return json(403, { error: 'csrf', message: 'The form expired; reload the page.' });
      }
      if (req.url === '/dev/autosave') {
        const form = new URLSearchParams(body.toString());
        server.saves.push(Object.fromEntries(form));
        if ((form.get('title') || '').includes('conflict')) {
          return json(409, { error: 'conflict', message: 'Nadia Rahman saved a newer version.', by: 'Nadia Rahman', at: new Date().toISOString() });
        }
        return json(200, { revision: String(++revision), saved_at: new Date().toISOString() });
      }
      if (req.url === '/dev/presence') return json(200, { others: [{ name: 'Nadia Rahman' }] });
      if (req.url === '/dev/upload') {
        if (body.length > 1_000_000) return json(413, { error: 'too_large', message: 'The image is larger than 1 MB.' });
        return json(201, { url: '/dev/ship.svg', width: 640, height: 360 });
      }
      if (req.url === '/dev/save' || req.url === '/dev/copy') {
        server.submits.push({ url: req.url, form: Object.fromEntries(new URLSearchParams(body.toString())) });
        res.writeHead(303, { location: '/' });
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
  });
  server.saves = [];
  server.submits = [];
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await devServer(5178);
  console.log(`http://127.0.0.1:${server.address().port}/`);
}
