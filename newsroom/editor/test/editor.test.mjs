import { dom } from './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.__mastheadEditorTest = true;
const { enhance } = await import('../src/index.js');
const { document } = dom.window;

function page(markdown = '', attrs = '') {
  document.body.innerHTML = `<form method="post" action="/admin/posts/1/" data-csrf="tok" ${attrs}>
    <input name="title" value="T"><input type="hidden" name="base_revision" value="3">
    <label for="body">Body</label><textarea id="body" name="body" data-editor></textarea></form>`;
  const textarea = document.querySelector('textarea');
  textarea.value = markdown;
  const [mounted] = enhance(document, { fetch: async () => ({ ok: false, status: 404, json: async () => ({}) }) });
  return { textarea, mounted, form: document.querySelector('form') };
}

test('the textarea is hidden and a labelled rich-text area takes its place', () => {
  const { textarea } = page('Hello **world**.\n');
  assert.equal(textarea.hidden, true);
  const area = document.querySelector('[contenteditable=true]');
  assert.equal(area.getAttribute('role'), 'textbox');
  assert.equal(area.getAttribute('aria-multiline'), 'true');
  assert.equal(area.getAttribute('aria-label'), 'Story text');
  assert.equal(area.querySelector('strong').textContent, 'world');
});

test('a change writes Markdown into the textarea and fires input', () => {
  const { textarea, mounted, form } = page('Hello.\n');
  let inputs = 0;
  form.addEventListener('input', () => inputs++);
  mounted.editor.chain().focus('end').insertContent(' More').run();
  assert.equal(textarea.value, 'Hello. More\n');
  assert.equal(inputs, 1);
  mounted.editor.chain().selectAll().toggleBold().run();
  assert.equal(textarea.value, '**Hello. More**\n');
});

test('the toolbar is one tab stop with arrow keys, names and pressed states', () => {
  const { mounted } = page('Plain.\n');
  const bar = document.querySelector('[role=toolbar]');
  assert.equal(bar.getAttribute('aria-label'), 'Formatting');
  const buttons = [...bar.querySelectorAll('button')];
  assert.ok(buttons.every((b) => b.getAttribute('aria-label')));
  assert.deepEqual(buttons.filter((b) => b.tabIndex === 0).map((b) => b.dataset.command), ['bold']);
  buttons[0].focus();
  bar.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
  assert.equal(document.activeElement.dataset.command, 'italic');
  assert.equal(buttons[1].tabIndex, 0);
  assert.equal(buttons[0].tabIndex, -1);
  bar.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'End', bubbles: true }));
  assert.equal(document.activeElement.dataset.command, 'markdown');
  mounted.editor.chain().selectAll().toggleBold().run();
  assert.equal(mounted.toolbar.button('bold').getAttribute('aria-pressed'), 'true');
  assert.equal(mounted.toolbar.button('italic').getAttribute('aria-pressed'), 'false');
});

test('the paywall button inserts one marker, then is disabled; a second marker is removed', () => {
  const { textarea, mounted } = page('Free.\n\nGated.\n');
  const button = mounted.toolbar.button('paywall');
  assert.equal(button.getAttribute('aria-disabled'), 'false');
  mounted.editor.commands.setTextSelection(6);
  button.click();
  assert.match(textarea.value, /^Free\.\n\n<!--members-only-->\n\nGated\.\n$/);
  assert.equal(document.querySelector('.me-paywall').textContent, 'Free preview ends here');
  assert.equal(button.getAttribute('aria-disabled'), 'true');
  button.click();
  mounted.editor.commands.insertContentAt(0, { type: 'paywall' });
  assert.equal((textarea.value.match(/members-only/g) || []).length, 1);
});

test('Markdown mode shows the source and parses it back', () => {
  const { textarea, mounted } = page('One.\n');
  const toggle = mounted.toolbar.button('markdown');
  toggle.click();
  assert.equal(toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(textarea.hidden, false);
  assert.equal(mounted.toolbar.button('bold').getAttribute('aria-disabled'), 'true');
  textarea.value = '## Two\n\n<aside class="pull-quote">Said.</aside>\n';
  toggle.click();
  assert.equal(textarea.hidden, true);
  assert.equal(document.querySelector('.me-content h2').textContent, 'Two');
  assert.equal(document.querySelector('.me-content aside.pull-quote').textContent, 'Said.');
});

test('a pasted YouTube watch link becomes an embed', () => {
  const { textarea, mounted } = page('');
  const data = new Map([['text/plain', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ']]);
  const event = new dom.window.Event('paste', { bubbles: true, cancelable: true });
  event.clipboardData = { files: [], getData: (t) => data.get(t) || '' };
  mounted.editor.view.dom.dispatchEvent(event);
  assert.equal(
    textarea.value,
    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube video" loading="lazy" allowfullscreen></iframe>\n',
  );
});

test('mounting changes nothing in the textarea until the writer does', () => {
  const source = 'Intro.\n\n<iframe src="https://player.vimeo.com/video/1234" title="Talk" loading="lazy" allowfullscreen></iframe>';
  document.body.innerHTML = '<form><textarea name="markdown" data-editor></textarea></form>';
  const textarea = document.querySelector('textarea');
  textarea.value = source;
  let inputs = 0;
  document.querySelector('form').addEventListener('input', () => inputs++);
  const [mounted] = enhance(document, { fetch: async () => ({ ok: false, status: 404, json: async () => ({}) }) });
  assert.equal(textarea.value, source);
  assert.equal(inputs, 0);
  assert.equal(mounted.editor.state.doc.lastChild.type.name, 'paragraph', 'room to type after the embed');
});
