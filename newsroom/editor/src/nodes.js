// The story's own blocks, beyond StarterKit's: the paywall marker, pull quotes, figures,
// embeds, and raw HTML kept as it was written, so nothing the Markdown holds is lost.

import { Node, Extension, mergeAttributes } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { allowedEmbed } from './embeds.js';

/** The text the paywall marker shows in the editor. */
export const PAYWALL_LABEL = 'Free preview ends here';

/** Whether the document already holds the paywall marker. */
export function hasPaywall(doc) {
  let found = false;
  doc.descendants((node) => {
    if (node.type.name === 'paywall') found = true;
    return !found;
  });
  return found;
}

export const Paywall = Node.create({
  name: 'paywall',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,
  parseHTML: () => [{ tag: 'div[data-paywall]' }],
  renderHTML: () => [
    'div',
    { 'data-paywall': '', class: 'me-paywall', contenteditable: 'false' },
    PAYWALL_LABEL,
  ],
  addCommands() {
    return {
      insertPaywall:
        () =>
        ({ state, commands }) =>
          !hasPaywall(state.doc) && commands.insertContent({ type: this.name }),
    };
  },
  // A body has one split point: a second marker (pasted, dropped) is removed at once.
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('onePaywall'),
        appendTransaction(transactions, _old, state) {
          if (!transactions.some((t) => t.docChanged)) return null;
          const extra = [];
          let seen = false;
          state.doc.descendants((node, pos) => {
            if (node.type.name !== 'paywall') return true;
            if (seen) extra.push(pos);
            seen = true;
            return false;
          });
          if (!extra.length) return null;
          const tr = state.tr;
          for (const pos of extra.reverse()) tr.delete(pos, pos + 1);
          return tr;
        },
      }),
    ];
  },
});

export const PullQuote = Node.create({
  name: 'pullQuote',
  group: 'block',
  content: 'text*',
  marks: '',
  defining: true,
  parseHTML: () => [{ tag: 'aside.pull-quote' }],
  renderHTML: () => ['aside', { class: 'pull-quote' }, 0],
  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleNode(this.name, 'paragraph'),
    };
  },
});

/** Where an image may come from: the web or the site, never `data:`, `blob:` or `file:`. */
function imageSource(src) {
  return /^(https?:\/\/|\/)/i.test(src || '') ? src : null;
}

function number(value) {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: () => ({
    src: { default: null },
    alt: { default: '' },
    title: { default: null },
    caption: { default: '' },
    width: { default: null },
    height: { default: null },
    // Marks the figure an upload just inserted until its alt text is asked for; never saved.
    upload: { default: null, rendered: false },
  }),
  parseHTML: () => [
    {
      tag: 'figure',
      getAttrs: (el) => {
        const img = el.querySelector('img');
        const src = imageSource(img?.getAttribute('src'));
        if (!src) return false;
        return {
          src,
          alt: img.getAttribute('alt') || '',
          caption: (el.querySelector('figcaption')?.textContent || '').trim(),
          width: number(img.getAttribute('width')),
          height: number(img.getAttribute('height')),
        };
      },
    },
    {
      tag: 'img[src]',
      getAttrs: (el) => {
        const src = imageSource(el.getAttribute('src'));
        return src ? { src, alt: el.getAttribute('alt') || '' } : false;
      },
    },
  ],
  renderHTML: ({ node }) => {
    const { src, alt, width, height, caption } = node.attrs;
    const img = ['img', { src, alt, width, height, draggable: 'false' }];
    const label = alt ? [] : [['span', { class: 'me-missing' }, 'Alt text missing']];
    const cap = caption ? [['figcaption', {}, caption]] : [];
    return ['figure', { class: 'me-figure' }, img, ...cap, ...label];
  },
});

/** An image inside a line of text (`text ![alt](src) text`), kept as written. */
export const InlineImage = Node.create({
  name: 'inlineImage',
  group: 'inline',
  inline: true,
  atom: true,
  addAttributes: () => ({ src: { default: null }, alt: { default: '' }, title: { default: null } }),
  parseHTML: () => [{ tag: 'img[data-inline]' }],
  renderHTML: ({ HTMLAttributes }) => ['img', mergeAttributes(HTMLAttributes, { 'data-inline': '' })],
});

export const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: () => ({ src: { default: null }, title: { default: '' } }),
  parseHTML: () => [
    {
      tag: 'iframe',
      getAttrs: (el) => {
        const src = el.getAttribute('src');
        return allowedEmbed(src) ? { src, title: el.getAttribute('title') || '' } : false;
      },
    },
  ],
  renderHTML: ({ node }) => [
    'div',
    { class: 'me-embed', 'data-embed': '' },
    ['iframe', { src: node.attrs.src, title: node.attrs.title || 'Embedded player', loading: 'lazy', tabindex: '-1' }],
  ],
  addCommands() {
    return {
      insertEmbed:
        (attrs) =>
        ({ commands }) =>
          allowedEmbed(attrs?.src) && commands.insertContent({ type: this.name, attrs }),
    };
  },
});

/** Markdown or HTML the editor has no block for (a table, a `<div>`), kept as written. */
export const RawBlock = Node.create({
  name: 'rawBlock',
  group: 'block',
  atom: true,
  selectable: true,
  addAttributes: () => ({ source: { default: '' } }),
  parseHTML: () => [{ tag: 'pre[data-raw-block]', getAttrs: (el) => ({ source: el.textContent }) }],
  renderHTML: ({ node }) => [
    'pre',
    { 'data-raw-block': '', class: 'me-raw', title: 'Kept as written; edit it in Markdown mode' },
    node.attrs.source,
  ],
});

/** Inline HTML in a paragraph (`<sup>`, `<br>`), kept as written. */
export const RawInline = Node.create({
  name: 'rawInline',
  group: 'inline',
  inline: true,
  atom: true,
  addAttributes: () => ({ html: { default: '' } }),
  parseHTML: () => [{ tag: 'code[data-raw-inline]', getAttrs: (el) => ({ html: el.textContent }) }],
  renderHTML: ({ node }) => ['code', { 'data-raw-inline': '', class: 'me-raw' }, node.attrs.html],
});

/** Lists remember whether they were tight (no blank lines between items) in the Markdown. */
export const ListTightness = Extension.create({
  name: 'listTightness',
  addGlobalAttributes: () => [
    {
      types: ['bulletList', 'orderedList'],
      attributes: { tight: { default: true, rendered: false, parseHTML: () => true } },
    },
  ],
});
