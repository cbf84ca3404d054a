// Reading the outbox a Masthead site writes without SMTP (DATA_DIR/outbox/*.eml): RFC 5322
// messages from lettre's file transport, multipart text + HTML, each part 7bit, quoted-printable
// or base64. Shared by every journey.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function splitEntity(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function headerParam(value, name) {
  const match = (value ?? '').match(new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i'));
  return match ? (match[1] ?? match[2]) : undefined;
}

function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/// Character references in an HTML part (Handlebars writes `=` as `&#x3D;`).
export function decodeEntities(html) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1].toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return named[ref.toLowerCase()] ?? whole;
  });
}

function decodeBody(headers, body) {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/// The leaf parts of a message, as { type, text }.
function mimeParts(raw) {
  const { headers, body } = splitEntity(raw);
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = headerParam(headers['content-type'], 'boundary');
    if (!boundary) return [];
    const delimiter = `--${boundary}`;
    const parts = [];
    for (const chunk of body.split(delimiter).slice(1)) {
      if (chunk.startsWith('--')) break; // the closing delimiter
      parts.push(...mimeParts(chunk.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, '')));
    }
    return parts;
  }
  return [{ type, text: decodeBody(headers, body) }];
}

/// The newest message in the outbox addressed to `email`, polled for up to `timeoutMs`.
export async function waitForEmail(outbox, email, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let files = [];
    try {
      files = readdirSync(outbox)
        .filter((name) => name.endsWith('.eml'))
        .map((name) => ({ path: join(outbox, name), mtime: statSync(join(outbox, name)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime);
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
    for (const file of files) {
      const raw = readFileSync(file.path, 'utf8');
      const { headers } = splitEntity(raw);
      if ((headers.to ?? '').toLowerCase().includes(email.toLowerCase())) {
        return { path: file.path, subject: headers.subject ?? '', parts: mimeParts(raw) };
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no .eml addressed to ${email} in ${outbox} after ${timeoutMs / 1000} s (${files.length} other messages there)`);
    }
    await sleep(200);
  }
}
