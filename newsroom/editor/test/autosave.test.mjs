import { dom } from './setup.mjs';
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { watchForm } from '../src/autosave.js';
import { presenceText, startPresence } from '../src/presence.js';

const { document } = dom.window;

function form(attrs = 'data-autosave-url="/admin/posts/1/autosave" data-copy-url="/admin/posts/1/copy"') {
  document.body.innerHTML = `<form method="post" action="/admin/posts/1/" data-csrf="tok-1" ${attrs}>
    <input type="hidden" name="base_revision" value="3"><input name="title" value="Title">
    <textarea name="body">Body</textarea></form><p id="status"></p>`;
  return { form: document.querySelector('form'), status: document.getElementById('status') };
}

/** A fetch that answers from `replies` in turn and records each request. */
function stubFetch(replies) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    const [status, body] = replies.shift();
    return { status, ok: status < 300, json: async () => body };
  };
  return { fetch, calls };
}

/** A window stand-in that records beforeunload listeners and reloads. */
function fakeWindow() {
  const listeners = [];
  return {
    reloads: 0,
    addEventListener: (type, fn) => type === 'beforeunload' && listeners.push(fn),
    location: { reload() { this.owner.reloads++; } },
    leaving() {
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      for (const fn of listeners) fn(event);
      return event.defaultPrevented;
    },
  };
}

const type = (el, value) => {
  el.value = value;
  el.dispatchEvent(new dom.window.Event('input', { bubbles: true }));
};
const settle = () => new Promise((r) => setImmediate(r));

test('autosave posts the whole form after 3 s of quiet, then records the new revision', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { form: f, status } = form();
    const { fetch, calls } = stubFetch([[200, { revision: 4, saved_at: '2026-12-05T10:42:00Z' }]]);
    const win = fakeWindow();
    watchForm(f, { status, fetch, win });
    type(f.elements.body, 'Body changed');
    mock.timers.tick(2000);
    type(f.elements.body, 'Body changed again');
    mock.timers.tick(2999);
    assert.equal(calls.length, 0, 'debounced while typing');
    assert.equal(win.leaving(), true, 'unsaved changes warn on leaving');
    mock.timers.tick(1);
    await settle();
    assert.equal(calls.length, 1);
    const { url, init } = calls[0];
    assert.equal(url, '/admin/posts/1/autosave');
    assert.equal(init.headers['X-CSRF-Token'], 'tok-1');
    assert.equal(init.headers.Accept, 'application/json');
    assert.equal(init.body, 'base_revision=3&title=Title&body=Body+changed+again');
    assert.equal(f.elements.base_revision.value, '4');
    assert.match(status.textContent, /^Saved/);
    assert.equal(win.leaving(), false, 'no warning once saved');
  } finally {
    mock.timers.reset();
  }
});

test('a 409 stops autosaving and offers reload or save as a copy', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { form: f, status } = form();
    const conflict = { error: 'conflict', message: 'Nadia Rahman saved a newer version.', by: 'Nadia Rahman', at: '2026-12-05T10:40:00Z' };
    const { fetch, calls } = stubFetch([[409, conflict]]);
    const win = fakeWindow();
    win.location.owner = win;
    const saver = watchForm(f, { status, fetch, win });
    type(f.elements.body, 'Mine');
    mock.timers.tick(3000);
    await settle();
    assert.equal(saver.stopped(), true);
    const banner = f.querySelector('.me-conflict[role=alert]');
    assert.match(banner.textContent, /Nadia Rahman saved a newer version\./);
    const [reload, copy] = banner.querySelectorAll('button');
    assert.equal(reload.textContent, 'Reload the latest version');
    assert.equal(copy.textContent, 'Save mine as a copy');
    type(f.elements.body, 'Mine, more');
    mock.timers.tick(10_000);
    await settle();
    assert.equal(calls.length, 1, 'no autosave after a conflict');
    assert.equal(win.leaving(), true, 'the unsaved text still warns');
    let submitted = null;
    f.requestSubmit = () => {
      submitted = f.action;
    };
    copy.click();
    assert.equal(submitted, 'https://newsroom.example/admin/posts/1/copy');
    assert.equal(win.leaving(), false, 'saving a copy is no accidental leave');
    reload.click();
    assert.equal(win.reloads, 1);
  } finally {
    mock.timers.reset();
  }
});

test('without an autosave address nothing is posted, but leaving still warns until submit', async () => {
  const { form: f, status } = form('');
  const { fetch, calls } = stubFetch([]);
  const win = fakeWindow();
  watchForm(f, { status, fetch, win, delay: 0 });
  type(f.elements.title, 'New title');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(calls.length, 0);
  assert.equal(win.leaving(), true);
  f.dispatchEvent(new dom.window.Event('submit', { cancelable: true }));
  assert.equal(win.leaving(), false);
});

test('a failed save says so and keeps the warning', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { form: f, status } = form();
    const { fetch } = stubFetch([[422, { error: 'invalid', message: 'The slug is taken.' }]]);
    const win = fakeWindow();
    watchForm(f, { status, fetch, win });
    type(f.elements.title, 'X');
    mock.timers.tick(3000);
    await settle();
    assert.equal(status.textContent, 'Not saved: The slug is taken.');
    assert.equal(win.leaving(), true);
  } finally {
    mock.timers.reset();
  }
});

test('presence names who else is editing, and nothing when nobody is', async () => {
  assert.equal(presenceText([]), '');
  assert.equal(presenceText([{ name: 'Nadia Rahman' }]), 'Nadia Rahman is editing');
  assert.equal(presenceText([{ name: 'A' }, { name: 'B' }]), 'A and B are editing');
  assert.equal(presenceText([{ name: 'A' }, { name: 'B' }, { name: 'C' }]), 'A, B and 1 other are editing');
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { form: f } = form('data-presence-url="/admin/posts/1/presence"');
    const region = document.getElementById('status');
    const { fetch, calls } = stubFetch([[200, { others: [{ name: 'Nadia Rahman' }] }], [200, { others: [] }]]);
    const stop = startPresence(f, region, { fetch });
    await settle();
    assert.equal(region.textContent, 'Nadia Rahman is editing');
    assert.equal(calls[0].init.headers['X-CSRF-Token'], 'tok-1');
    assert.equal(calls[0].init.method, 'POST');
    mock.timers.tick(10_000);
    await settle();
    assert.equal(calls.length, 2);
    assert.equal(region.textContent, '');
    stop();
  } finally {
    mock.timers.reset();
  }
});
