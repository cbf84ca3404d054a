import { dom } from './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.__mastheadEditorTest = true;
const { enhance } = await import('../src/index.js');
const { document } = dom.window;

/** An XMLHttpRequest stand-in answering from `replies`, recording what was sent. */
function fakeXhr(replies) {
  const sent = [];
  class FakeXHR {
    upload = {};
    headers = {};
    open(method, url) {
      Object.assign(this, { method, url });
    }
    setRequestHeader(name, value) {
      this.headers[name] = value;
    }
    send(body) {
      this.body = body;
      sent.push(this);
      const [status, reply] = replies.shift();
      setImmediate(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: 1, total: 2 });
        this.status = status;
        this.responseText = JSON.stringify(reply);
        this.onload();
      });
    }
  }
  return { FakeXHR, sent };
}

function page(XHR) {
  document.body.innerHTML = `<form method="post" data-csrf="tok-9" data-upload-url="/admin/media">
    <textarea name="body" data-editor>Intro.</textarea></form>`;
  const [mounted] = enhance(document, { XHR, fetch: async () => ({ ok: false, status: 404, json: async () => ({}) }) });
  return { mounted, textarea: document.querySelector('textarea'), status: document.querySelector('.me-status') };
}

const waitFor = async (find) => {
  for (let i = 0; i < 50; i++) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('not found in time');
};

test('an uploaded image is inserted, then its alt text and caption are asked for', async () => {
  const { FakeXHR, sent } = fakeXhr([[201, { url: '/content/images/2026/12/ship.jpg', width: 1600, height: 900 }]]);
  const { mounted, textarea, status } = page(FakeXHR);
  const file = new dom.window.File(['jpeg bytes'], 'ship.jpg', { type: 'image/jpeg' });
  const done = mounted.insertImages([file], mounted.editor.state.doc.content.size);
  const dialog = await waitFor(() => document.querySelector('dialog.me-dialog'));
  assert.equal(sent[0].method, 'POST');
  assert.equal(sent[0].url, '/admin/media');
  assert.equal(sent[0].headers['X-CSRF-Token'], 'tok-9');
  assert.equal(sent[0].body.get('file').name, 'ship.jpg');
  assert.match(status.textContent, /Uploaded ship\.jpg/);
  assert.equal(textarea.value, 'Intro.\n\n![](/content/images/2026/12/ship.jpg)\n');
  dialog.querySelector('input[name=alt]').value = 'A tanker at anchor';
  dialog.querySelector('input[name=caption]').value = 'The tanker off Fujairah';
  dialog.querySelector('form').dispatchEvent(new dom.window.Event('submit', { cancelable: true }));
  await done;
  assert.equal(
    textarea.value,
    'Intro.\n\n<figure><img src="/content/images/2026/12/ship.jpg" alt="A tanker at anchor" width="1600" height="900"><figcaption>The tanker off Fujairah</figcaption></figure>\n',
  );
  assert.equal(document.querySelector('dialog'), null);
});

test("a refused upload shows the server's message and inserts nothing", async () => {
  const { FakeXHR } = fakeXhr([[413, { error: 'too_large', message: 'The image is larger than 20 MB.' }]]);
  const { mounted, textarea, status } = page(FakeXHR);
  const file = new dom.window.File(['x'], 'huge.png', { type: 'image/png' });
  await mounted.insertImages([file], 1);
  assert.equal(status.textContent, 'The image is larger than 20 MB.');
  assert.equal(textarea.value, 'Intro.');
  assert.equal(document.querySelector('dialog'), null);
});
