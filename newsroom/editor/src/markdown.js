// The server's Markdown dialect (comrak, GFM) ⇄ the editor's document. Blocks the server
// knows as raw HTML (the paywall marker, pull quotes, captioned figures, embeds) become the
// editor's own nodes; anything else the editor has no node for is kept verbatim.

import MarkdownIt from 'markdown-it';
import { MarkdownParser, MarkdownSerializer, defaultMarkdownSerializer as d } from 'prosemirror-markdown';
import { allowedEmbed } from './embeds.js';

/** The paywall marker line, as `domain::body::split_source` finds it. */
export const PAYWALL_MARKER = '<!--members-only-->';

const tokenizer = MarkdownIt('commonmark', { html: true }).enable(['strikethrough', 'table']);
tokenizer.core.ruler.push('masthead_blocks', (state) => {
  state.tokens = rewrite(state.tokens, state.src.split('\n'), state.Token);
});

function htmlDocument(html) {
  return new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
}

function leaf(Token, type, from, attrs) {
  const token = new Token(type, '', 0);
  token.block = true;
  token.map = from.map;
  token.meta = attrs;
  return token;
}

/** What one raw HTML block is: our own block (token), dropped (null) or kept verbatim. */
function htmlBlock(token, Token) {
  const html = token.content.trim();
  if (html === PAYWALL_MARKER) return leaf(Token, 'paywall', token, {});
  const one = /^<(aside|figure|iframe)\b[^]*<\/\1>$/i.exec(html);
  const body = one && htmlDocument(html);
  const el = body?.childElementCount === 1 ? body.firstElementChild : null;
  if (el?.matches('aside.pull-quote')) {
    const quote = leaf(Token, 'pull_quote', token, {});
    quote.content = el.textContent.trim();
    return quote;
  }
  const img = el?.matches('figure') && el.querySelector(':scope > img');
  if (img && el.querySelectorAll('*').length <= 2) {
    const number = (name) => Number.parseInt(img.getAttribute(name), 10) || null;
    return leaf(Token, 'figure', token, {
      src: img.getAttribute('src'),
      alt: img.getAttribute('alt') || '',
      caption: (el.querySelector('figcaption')?.textContent || '').trim(),
      width: number('width'),
      height: number('height'),
    });
  }
  if (el?.matches('iframe')) {
    const src = el.getAttribute('src');
    // The server would blank an iframe from elsewhere; the editor drops it.
    return allowedEmbed(src) ? leaf(Token, 'embed', token, { src, title: el.getAttribute('title') || '' }) : null;
  }
  const raw = leaf(Token, 'raw_block', token, { source: token.content.replace(/\n+$/, '') });
  return raw;
}

/** Replaces tokens the editor shows as its own nodes; see `htmlBlock`. */
function rewrite(tokens, lines, Token) {
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'html_block') {
      const replaced = htmlBlock(token, Token);
      if (replaced) out.push(replaced);
    } else if (token.type === 'table_open') {
      // Tables stay Markdown: a block kept as written, from the source lines.
      let end = i;
      while (tokens[end].type !== 'table_close') end++;
      const [from, to] = token.map;
      out.push(leaf(Token, 'raw_block', token, { source: lines.slice(from, to).join('\n').trimEnd() }));
      i = end;
    } else if (isImageParagraph(tokens, i)) {
      const image = tokens[i + 1].children[0];
      out.push(
        leaf(Token, 'figure', token, {
          src: image.attrGet('src'),
          alt: image.children.map((c) => c.content).join(''),
          title: image.attrGet('title') || null,
          caption: '',
        }),
      );
      i += 2;
    } else {
      if (token.children) token.children = token.children.map(inlineHtml);
      out.push(token);
    }
  }
  return out;
}

/** A paragraph holding one image and nothing else: shown as a figure. */
function isImageParagraph(tokens, i) {
  const inline = tokens[i + 1];
  return (
    tokens[i].type === 'paragraph_open' &&
    inline?.children?.length === 1 &&
    inline.children[0].type === 'image' &&
    tokens[i + 2]?.type === 'paragraph_close'
  );
}

function inlineHtml(token) {
  if (token.type !== 'html_inline') return token;
  token.type = 'raw_inline';
  token.meta = { html: token.content };
  return token;
}

function listIsTight(tokens, i) {
  while (++i < tokens.length) if (tokens[i].type !== 'list_item_open') return tokens[i].hidden;
  return false;
}

const meta = (tok) => tok.meta;

/** A parser for `schema` (the editor's, built from the extensions in `extensions.js`). */
export function markdownParser(schema) {
  return new MarkdownParser(schema, tokenizer, {
    blockquote: { block: 'blockquote' },
    paragraph: { block: 'paragraph' },
    list_item: { block: 'listItem' },
    bullet_list: { block: 'bulletList', getAttrs: (_, tokens, i) => ({ tight: listIsTight(tokens, i) }) },
    ordered_list: {
      block: 'orderedList',
      getAttrs: (tok, tokens, i) => ({ start: +tok.attrGet('start') || 1, tight: listIsTight(tokens, i) }),
    },
    heading: { block: 'heading', getAttrs: (tok) => ({ level: +tok.tag.slice(1) }) },
    code_block: { block: 'codeBlock', noCloseToken: true },
    fence: { block: 'codeBlock', getAttrs: (tok) => ({ language: tok.info.trim() || null }), noCloseToken: true },
    hr: { node: 'horizontalRule' },
    hardbreak: { node: 'hardBreak' },
    image: {
      node: 'inlineImage',
      getAttrs: (tok) => ({
        src: tok.attrGet('src'),
        title: tok.attrGet('title') || null,
        alt: (tok.children || []).map((c) => c.content).join(''),
      }),
    },
    em: { mark: 'italic' },
    strong: { mark: 'bold' },
    s: { mark: 'strike' },
    link: {
      mark: 'link',
      getAttrs: (tok) => ({ href: tok.attrGet('href'), title: tok.attrGet('title') || null }),
    },
    code_inline: { mark: 'code', noCloseToken: true },
    paywall: { node: 'paywall' },
    pull_quote: { block: 'pullQuote', noCloseToken: true },
    figure: { node: 'figure', getAttrs: meta },
    embed: { node: 'embed', getAttrs: meta },
    raw_block: { node: 'rawBlock', getAttrs: meta },
    raw_inline: { node: 'rawInline', getAttrs: meta },
  });
}

/** Text for an HTML attribute or element inside a raw HTML block. */
export function escapeHtml(text) {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A raw HTML block on one line: CommonMark ends such a block at the first blank line. */
function htmlLine(state, node, html) {
  state.write(html.replace(/\s*\n\s*/g, ' '));
  state.closeBlock(node);
}

// Text that would read as HTML (`<b>`) or an entity (`&amp;`) is escaped, so what was typed
// is what the reader sees.
const HTMLISH = /(<(?=[A-Za-z!/?])|&(?=#?\w+;))/;

const nodes = {
  blockquote: d.nodes.blockquote,
  heading: d.nodes.heading,
  paragraph: d.nodes.paragraph,
  listItem: d.nodes.list_item,
  hardBreak: d.nodes.hard_break,
  inlineImage: d.nodes.image,
  text(state, node) {
    // `split` with a capture group puts the matches at odd indexes.
    node.text.split(HTMLISH).forEach((part, i) => {
      if (i % 2) state.text(`\\${part}`, false);
      else if (part) state.text(part, !state.inAutolink);
    });
  },
  codeBlock(state, node) {
    const backticks = node.textContent.match(/`{3,}/gm);
    const fence = backticks ? `${backticks.sort().slice(-1)[0]}\`` : '```';
    state.write(`${fence}${node.attrs.language || ''}\n`);
    state.text(node.textContent, false);
    state.write('\n');
    state.write(fence);
    state.closeBlock(node);
  },
  horizontalRule(state, node) {
    state.write('---');
    state.closeBlock(node);
  },
  bulletList(state, node) {
    state.renderList(node, '  ', () => '- ');
  },
  orderedList(state, node) {
    const start = node.attrs.start || 1;
    const width = String(start + node.childCount - 1).length;
    state.renderList(node, ' '.repeat(width + 2), (i) => `${String(start + i).padStart(width)}. `);
  },
  paywall(state, node) {
    htmlLine(state, node, PAYWALL_MARKER);
  },
  pullQuote(state, node) {
    htmlLine(state, node, `<aside class="pull-quote">${escapeHtml(node.textContent)}</aside>`);
  },
  figure(state, node) {
    const { src, alt, caption, width, height } = node.attrs;
    if (!caption) {
      d.nodes.image(state, node);
      state.closeBlock(node);
      return;
    }
    const size = width && height ? ` width="${escapeHtml(width)}" height="${escapeHtml(height)}"` : '';
    const img = `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${size}>`;
    htmlLine(state, node, `<figure>${img}<figcaption>${escapeHtml(caption)}</figcaption></figure>`);
  },
  embed(state, node) {
    const { src, title } = node.attrs;
    const attrs = `src="${escapeHtml(src)}" title="${escapeHtml(title)}"`;
    htmlLine(state, node, `<iframe ${attrs} loading="lazy" allowfullscreen></iframe>`);
  },
  rawBlock(state, node) {
    state.text(node.attrs.source, false);
    state.closeBlock(node);
  },
  rawInline(state, node) {
    state.write(node.attrs.html);
  },
};

const marks = {
  italic: d.marks.em,
  bold: d.marks.strong,
  link: d.marks.link,
  code: d.marks.code,
  strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
};

const serializer = new MarkdownSerializer(nodes, marks);

/** The Markdown for an editor document, ending in one newline (empty for an empty story). */
export function toMarkdown(doc) {
  const text = serializer.serialize(doc).replace(/\s+$/, '');
  return text ? `${text}\n` : '';
}
