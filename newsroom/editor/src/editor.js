// One rich-text editor in place of one `textarea[data-editor]`. The textarea stays the form's
// source of truth: every change writes Markdown into it and fires `input`.

import { Editor, Extension } from '@tiptap/core';
import { NodeSelection, Selection } from '@tiptap/pm/state';
import { extensions } from './extensions.js';
import { markdownParser, toMarkdown } from './markdown.js';
import { cleanPastedHtml } from './paste.js';
import { embedFor } from './embeds.js';
import { hasPaywall } from './nodes.js';
import { toolbar } from './toolbar.js';
import { ask } from './dialog.js';
import { uploadImage } from './upload.js';

const MOD = typeof navigator !== 'undefined' && /Mac|iP(hone|ad)/.test(navigator.platform) ? 'Cmd' : 'Ctrl';

/**
 * Mounts the editor for `textarea` and returns `{ editor, root, toggleSource }`. `status` is
 * the live region for upload messages; `XHR` is for tests.
 */
export function mountEditor(textarea, { status, XHR } = {}) {
  const doc = textarea.ownerDocument;
  const form = textarea.form;
  const uploadUrl = textarea.dataset.uploadUrl || form?.dataset.uploadUrl;
  const root = doc.createElement('div');
  root.className = 'me-editor';
  const area = doc.createElement('div');
  area.className = 'me-area';
  const say = (text) => {
    if (status) status.textContent = text;
  };

  const shortcuts = Extension.create({
    name: 'mastheadShortcuts',
    addKeyboardShortcuts: () => ({ 'Mod-k': () => (editLink(), true) }),
  });
  const editor = new Editor({
    element: area,
    // The site's Content-Security-Policy allows no inline <style>: Tiptap's base rules are in
    // editor.css instead.
    injectCSS: false,
    extensions: [...extensions(), shortcuts],
    editorProps: {
      attributes: { role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Story text', class: 'me-content' },
      transformPastedHTML: cleanPastedHtml,
      handlePaste: (_view, event) => paste(event),
      handleDrop: (view, event, _slice, moved) => !moved && drop(view, event),
      handleKeyDown: (view, event) => {
        const sel = view.state.selection;
        if (event.key !== 'Enter' || !(sel instanceof NodeSelection) || sel.node.type.name !== 'figure') return false;
        editFigure();
        return true;
      },
      handleDoubleClickOn: (_view, _pos, node) => node.type.name === 'figure' && (editFigure(), true),
    },
  });
  const parser = markdownParser(editor.schema);
  // New content puts the cursor at the start, where a writer expects it.
  const load = (markdown) =>
    editor
      .chain()
      .setContent(parser.parse(markdown).toJSON(), { emitUpdate: false })
      .command(({ tr }) => Boolean(tr.setSelection(Selection.atStart(tr.doc))))
      .run();
  load(textarea.value);
  editor.on('update', () => {
    textarea.value = toMarkdown(editor.state.doc);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });

  const picker = doc.createElement('input');
  picker.type = 'file';
  picker.accept = 'image/jpeg,image/png,image/gif,image/webp,image/avif';
  picker.multiple = true;
  picker.hidden = true;
  picker.tabIndex = -1;
  picker.setAttribute('aria-hidden', 'true');
  picker.addEventListener('change', () => {
    insertImages([...picker.files], editor.state.selection.from);
    picker.value = '';
  });

  let source = false;
  const chain = () => editor.chain().focus();
  const when = (fn) => () => !source && fn();
  const bar = toolbar(doc, [
    { id: 'bold', text: 'B', label: 'Bold', shortcut: `${MOD}+B`, run: () => chain().toggleBold().run(), active: when(() => editor.isActive('bold')) },
    { id: 'italic', text: 'I', label: 'Italic', shortcut: `${MOD}+I`, run: () => chain().toggleItalic().run(), active: when(() => editor.isActive('italic')) },
    { id: 'link', text: 'Link', label: 'Link', shortcut: `${MOD}+K`, run: () => editLink(), active: when(() => editor.isActive('link')) },
    { separator: true },
    { id: 'h2', text: 'H2', label: 'H2 heading', run: () => chain().toggleHeading({ level: 2 }).run(), active: when(() => editor.isActive('heading', { level: 2 })) },
    { id: 'h3', text: 'H3', label: 'H3 subheading', run: () => chain().toggleHeading({ level: 3 }).run(), active: when(() => editor.isActive('heading', { level: 3 })) },
    { id: 'bullets', text: '• List', label: 'Bulleted list', run: () => chain().toggleBulletList().run(), active: when(() => editor.isActive('bulletList')) },
    { id: 'numbers', text: '1. List', label: '1. List, numbered', run: () => chain().toggleOrderedList().run(), active: when(() => editor.isActive('orderedList')) },
    { id: 'quote', text: 'Quote', label: 'Quote', run: () => chain().toggleBlockquote().run(), active: when(() => editor.isActive('blockquote')) },
    { id: 'pullquote', text: 'Pull quote', label: 'Pull quote', run: () => chain().togglePullQuote().run(), active: when(() => editor.isActive('pullQuote')) },
    { id: 'code', text: 'Code', label: 'Code block', run: () => chain().toggleCodeBlock().run(), active: when(() => editor.isActive('codeBlock')) },
    { separator: true },
    { id: 'image', text: 'Image', label: 'Insert image', run: () => addImage() },
    { id: 'embed', text: 'Embed', label: 'Embed a video or audio player', run: () => addEmbed() },
    { id: 'rule', text: '―', label: 'Divider', run: () => chain().setHorizontalRule().run() },
    {
      id: 'paywall',
      text: 'Paywall',
      label: 'Paywall: free preview ends here',
      run: () => chain().insertPaywall().run(),
      disabled: () => source || hasPaywall(editor.state.doc),
    },
    { separator: true },
    { id: 'markdown', text: 'Markdown', label: 'Markdown source', run: () => toggleSource(), active: () => source },
  ]);
  const refresh = () => {
    bar.refresh();
    for (const b of bar.element.querySelectorAll('button')) {
      if (b.dataset.command !== 'markdown' && b.dataset.command !== 'paywall') b.setAttribute('aria-disabled', String(source));
    }
  };
  editor.on('transaction', refresh);
  refresh();

  root.append(bar.element, area, picker);
  textarea.before(root);
  root.append(textarea);
  textarea.hidden = true;
  textarea.classList.add('me-source');

  function toggleSource() {
    source = !source;
    if (source) {
      textarea.hidden = false;
      area.hidden = true;
      textarea.focus();
    } else {
      load(textarea.value);
      textarea.hidden = true;
      area.hidden = false;
      editor.commands.focus();
    }
    refresh();
  }

  async function editLink() {
    const current = editor.getAttributes('link').href || '';
    const answer = await ask(doc, {
      title: current ? 'Edit link' : 'Add link',
      fields: [{ name: 'href', label: 'Link address', type: 'url', value: current, hint: 'Leave empty to remove the link.' }],
    });
    if (!answer) return editor.commands.focus();
    const href = answer.href;
    if (!href) return chain().extendMarkRange('link').unsetLink().run();
    if (editor.state.selection.empty && !editor.isActive('link')) {
      return chain().insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    }
    return chain().extendMarkRange('link').setLink({ href }).run();
  }

  async function addEmbed() {
    const answer = await ask(doc, {
      title: 'Embed a player',
      submit: 'Embed',
      fields: [{ name: 'url', label: 'Video or audio address', type: 'url', hint: 'YouTube, Vimeo, SoundCloud or Spotify.' }],
    });
    if (!answer) return editor.commands.focus();
    const embed = embedFor(answer.url);
    if (!embed) {
      say('Only YouTube, Vimeo, SoundCloud and Spotify players can be embedded.');
      return editor.commands.focus();
    }
    return chain().insertEmbed(embed).run();
  }

  function addImage() {
    if (uploadUrl) return picker.click();
    return ask(doc, {
      title: 'Insert image',
      submit: 'Insert',
      fields: [
        { name: 'src', label: 'Image address', type: 'url' },
        { name: 'alt', label: 'Alt text', hint: 'What the image shows, for readers who cannot see it.' },
        { name: 'caption', label: 'Caption (optional)' },
      ],
    }).then((a) => (a?.src ? chain().insertContent({ type: 'figure', attrs: a }).run() : editor.commands.focus()));
  }

  /** Uploads each image, inserts it at `pos`, then asks for its alt text and caption. */
  async function insertImages(files, pos) {
    const images = files.filter((f) => /^image\//.test(f.type));
    if (!uploadUrl || !images.length) return false;
    for (const file of images) {
      say(`Uploading ${file.name}…`);
      root.setAttribute('aria-busy', 'true');
      try {
        const done = await uploadImage(file, {
          url: uploadUrl,
          csrf: form?.dataset.csrf,
          XHR,
          onProgress: (pct) => say(`Uploading ${file.name}… ${pct}%`),
        });
        const at = Math.min(pos, editor.state.doc.content.size);
        const upload = `${Date.now()}-${Math.random()}`;
        const attrs = { src: done.url, width: done.width, height: done.height, upload };
        editor.chain().insertContentAt(at, { type: 'figure', attrs }).run();
        say(`Uploaded ${file.name}. Describe it for readers who cannot see it.`);
        await editFigure(upload);
      } catch (error) {
        say(error.message);
      } finally {
        root.removeAttribute('aria-busy');
      }
    }
    return true;
  }

  /** The alt text and caption of the selected figure (or the one an upload just inserted). */
  async function editFigure(upload) {
    let found = null;
    const sel = editor.state.selection;
    if (!upload && sel instanceof NodeSelection && sel.node.type.name === 'figure') found = { node: sel.node, pos: sel.from };
    editor.state.doc.descendants((node, pos) => {
      if (!found && upload && node.type.name === 'figure' && node.attrs.upload === upload) found = { node, pos };
      return !found;
    });
    if (!found) return;
    const answer = await ask(doc, {
      title: 'Describe the image',
      fields: [
        { name: 'alt', label: 'Alt text', value: found.node.attrs.alt, hint: 'What the image shows, for readers who cannot see it.' },
        { name: 'caption', label: 'Caption (optional)', value: found.node.attrs.caption },
      ],
    });
    if (answer || upload) {
      const attrs = { ...found.node.attrs, ...answer, upload: null };
      editor.chain().command(({ tr }) => Boolean(tr.setNodeMarkup(found.pos, undefined, attrs))).run();
    }
    editor.commands.focus();
  }

  function paste(event) {
    const data = event.clipboardData;
    if (!data) return false;
    const files = [...(data.files || [])];
    if (files.some((f) => /^image\//.test(f.type)) && uploadUrl) {
      insertImages(files, editor.state.selection.from);
      return true;
    }
    const text = data.getData('text/plain');
    const embed = !text.includes('\n') && embedFor(text);
    if (embed) return editor.chain().insertEmbed(embed).run();
    return false;
  }

  function drop(view, event) {
    const files = [...(event.dataTransfer?.files || [])];
    if (!files.some((f) => /^image\//.test(f.type)) || !uploadUrl) return false;
    event.preventDefault();
    const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
    insertImages(files, at ? at.pos : editor.state.selection.from);
    return true;
  }

  return { editor, root, toggleSource, insertImages, editFigure, toolbar: bar };
}
