// The newsroom editor bundle's entry: progressive enhancement of every
// `form textarea[data-editor]`. Without this script the textarea is the editor.

import { mountEditor } from './editor.js';
import { watchForm } from './autosave.js';
import { startPresence } from './presence.js';

/** Mounts an editor on each marked textarea under `root`, with autosave and presence per form. */
export function enhance(root, options = {}) {
  const mounted = [];
  for (const textarea of root.querySelectorAll('form textarea[data-editor]')) {
    if (textarea.dataset.editorMounted) continue;
    textarea.dataset.editorMounted = 'true';
    const doc = textarea.ownerDocument;
    const bar = doc.createElement('div');
    bar.className = 'me-statusbar';
    const status = region(doc, 'me-status');
    const presence = region(doc, 'me-presence');
    bar.append(status, presence);
    const editor = mountEditor(textarea, { status, XHR: options.XHR });
    editor.root.append(bar);
    const form = textarea.form;
    if (!form.dataset.editorWatched) {
      form.dataset.editorWatched = 'true';
      watchForm(form, { status, fetch: options.fetch, delay: options.delay, win: doc.defaultView });
      startPresence(form, presence, { fetch: options.fetch });
    }
    mounted.push(editor);
  }
  return mounted;
}

function region(doc, className) {
  const el = doc.createElement('p');
  el.className = className;
  el.setAttribute('aria-live', 'polite');
  return el;
}

if (typeof document !== 'undefined' && !globalThis.__mastheadEditorTest) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => enhance(document));
  else enhance(document);
}
