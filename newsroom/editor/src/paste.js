// Pasted HTML from word processors, reduced to structure: headings, paragraphs, lists, bold,
// italic, links, images. Google Docs' and Word's styling (inline styles, classes, `<o:p>`,
// conditional comments, the `docs-internal-guid` wrapper) is dropped before the editor sees it.

const KEEP = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'width', 'height'],
  ol: ['start'],
  iframe: ['src', 'title'],
  aside: ['class'],
  figure: [],
};
const DROP = new Set(['STYLE', 'SCRIPT', 'META', 'LINK', 'TITLE', 'XML', 'O:P', 'NOSCRIPT']);

/** The structure of pasted HTML without its styling. */
export function cleanPastedHtml(html) {
  // Parsing `style` attributes on a page whose CSP forbids inline style logs a violation for
  // each; they are only read here, so they are parsed under another name.
  const renamed = html.replace(/(<[a-z][^>]*?\s)style(\s*=)/gi, '$1data-style$2');
  const doc = new DOMParser().parseFromString(renamed, 'text/html');
  const body = doc.body;
  removeComments(doc, body);
  wordLists(doc, body);
  clean(doc, body);
  return body.innerHTML;
}

function removeComments(doc, root) {
  const walker = doc.createTreeWalker(root, 128 /* NodeFilter.SHOW_COMMENT */);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.remove();
}

function styleOf(el) {
  return (el.getAttribute('data-style') || '').toLowerCase().replace(/\s+/g, '');
}

function unwrap(el) {
  el.replaceWith(...el.childNodes);
}

/** Bold and italic said with styles (Google Docs' spans) become `<strong>` and `<em>`. */
function semanticStyle(doc, el) {
  const style = styleOf(el);
  const weight = /(?:^|;)font-weight:(\w+)/.exec(style)?.[1];
  const bold = weight && (/^bold/.test(weight) || Number(weight) >= 600);
  const italic = /(?:^|;)font-style:italic/.test(style);
  let inner = [...el.childNodes];
  for (const [on, tag] of [[bold, 'strong'], [italic, 'em']]) {
    if (!on) continue;
    const wrapper = doc.createElement(tag);
    wrapper.append(...inner);
    inner = [wrapper];
  }
  el.replaceWith(...inner);
}

function clean(doc, root) {
  // Children first, so unwrapping never skips a node.
  for (const child of [...root.children]) clean(doc, child);
  if (root === doc.body) {
    // Google Docs separates some blocks with bare `<br>`s.
    for (const br of [...root.children].filter((c) => c.tagName === 'BR')) br.remove();
    return;
  }
  const tag = root.tagName;
  if (DROP.has(tag) || tag.startsWith('V:') || tag.startsWith('W:')) return root.remove();
  if (tag === 'SPAN' || tag === 'FONT' || tag === 'DIV' || tag.includes(':')) return semanticStyle(doc, root);
  if (tag === 'B' && /(?:^|;)font-weight:(normal|400)/.test(styleOf(root))) return unwrap(root);
  if (tag === 'P' && !root.textContent.replace(/\u00a0/g, ' ').trim() && !root.querySelector('img')) {
    return root.remove();
  }
  const keep = KEEP[tag.toLowerCase()] || [];
  for (const attr of [...root.attributes]) {
    const pullQuote = attr.name === 'class' && root.classList.contains('pull-quote');
    if (!keep.includes(attr.name) || (attr.name === 'class' && !pullQuote)) root.removeAttribute(attr.name);
  }
}

/** Word writes list items as paragraphs with `mso-list:l0 level1 lfo1` and a typed marker. */
function wordItem(p) {
  const style = styleOf(p);
  const list = /mso-list:(l\d+)level(\d+)/.exec(style);
  if (!list) return null;
  const marker = [...p.querySelectorAll('span')].find((s) => /mso-list:ignore/.test(styleOf(s)));
  const ordered = /^[\s(]*(\d+|[a-z]{1,4})[.)]/i.test(marker?.textContent || '');
  return { id: list[1], level: Number(list[2]), ordered, marker };
}

function wordLists(doc, root) {
  for (const p of [...root.querySelectorAll('p')]) {
    if (!p.isConnected || !wordItem(p)) continue;
    const run = [p];
    const sameList = (el) => el?.tagName === 'P' && wordItem(el)?.id === wordItem(p).id;
    for (let next = p.nextElementSibling; sameList(next); next = next.nextElementSibling) {
      run.push(next);
    }
    p.before(buildList(doc, run));
    for (const item of run) item.remove();
  }
}

function buildList(doc, run) {
  const stack = [];
  let root = null;
  for (const p of run) {
    const { level, ordered, marker } = wordItem(p);
    marker?.remove();
    while (stack.length && stack.at(-1).level > level) stack.pop();
    let top = stack.at(-1);
    if (!top || top.level < level) {
      const list = doc.createElement(ordered ? 'ol' : 'ul');
      if (top) (top.list.lastElementChild || top.list).append(list);
      else if (root) root.append(list);
      else root = list;
      top = { level, list };
      stack.push(top);
    }
    const li = doc.createElement('li');
    const para = doc.createElement('p');
    para.append(...p.childNodes);
    li.append(para);
    top.list.append(li);
  }
  return root;
}
