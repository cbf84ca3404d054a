import './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownParser, toMarkdown } from '../src/markdown.js';
import { schema } from '../src/extensions.js';

const parser = markdownParser(schema());
const roundTrip = (md) => toMarkdown(parser.parse(md));

const cases = {
  headings: '# One\n\n## Two\n\n### Three\n',
  'bold and italic': 'A **bold** claim and an *italic* aside, ~~struck~~ and `code`.\n',
  links: 'Read [the report](https://example.com/report "The report") first.\n',
  'bullet list': '- first\n- second\n  - nested\n- third\n',
  'ordered list': '1. one\n2. two\n3. three\n',
  'ordered list from 7': '7. seven\n8. eight\n',
  'loose list': '- first\n\n- second\n',
  blockquote: '> Quoted words.\n>\n> Second paragraph.\n',
  'fenced code': '```rust\nfn main() {}\n```\n',
  'code with fences inside': '````\n```\ninner\n```\n````\n',
  'horizontal rule': 'Above.\n\n---\n\nBelow.\n',
  'paywall marker': 'Free part.\n\n<!--members-only-->\n\nGated part.\n',
  'pull quote': '<aside class="pull-quote">The war will be won by logistics &amp; patience.</aside>\n',
  'figure with caption':
    '<figure><img src="/content/images/a.jpg" alt="A ship &quot;at sea&quot;"><figcaption>The <em>Ark</em> &amp; crew</figcaption></figure>\n',
  'image without caption': '![A ship at sea](/content/images/a.jpg)\n',
  'youtube embed':
    '<iframe src="https://www.youtube-nocookie.com/embed/abc123XYZ" title="Interview" loading="lazy" allowfullscreen></iframe>\n',
  'spotify embed':
    '<iframe src="https://open.spotify.com/embed/episode/1" title="Podcast" loading="lazy" allowfullscreen></iframe>\n',
  'hard break': 'line one\\\nline two\n',
  'inline image in text': 'See ![map](/m.png) here.\n',
  'raw html block kept': '<div class="note">\nKept <b>as is</b>\n</div>\n',
  'raw inline html kept': 'E = mc<sup>2</sup> indeed.\n',
  'table kept as written': '| a | b |\n|---|---|\n| 1 | 2 |\n',
  'text that looks like html': 'Type \\<b> and \\&amp; literally.\n',
};

for (const [name, md] of Object.entries(cases)) {
  test(`round trip: ${name}`, () => {
    assert.equal(roundTrip(md), md);
  });
}

test('every construct in one story survives twice', () => {
  const story = Object.values(cases).join('\nBetween cases.\n\n');
  const once = roundTrip(story);
  assert.equal(roundTrip(once), once);
  for (const md of Object.values(cases)) assert.ok(once.includes(md.trim().split('\n')[0]), md);
});

test('the paywall marker becomes the visible block, once', () => {
  const doc = parser.parse('Free.\n<!--members-only-->\nGated.\n');
  const types = [];
  doc.forEach((n) => types.push(n.type.name));
  assert.deepEqual(types, ['paragraph', 'paywall', 'paragraph']);
  assert.equal(toMarkdown(doc), 'Free.\n\n<!--members-only-->\n\nGated.\n');
});

test('a figure caption is text, escaped for the HTML block', () => {
  const doc = parser.parse('![x](/a.png)\n');
  const figure = doc.firstChild.type.create({ ...doc.firstChild.attrs, caption: 'A <script> & "quote"', alt: 'Alt' });
  assert.equal(
    toMarkdown(doc.type.create(null, [figure])),
    '<figure><img src="/a.png" alt="Alt"><figcaption>A &lt;script&gt; &amp; &quot;quote&quot;</figcaption></figure>\n',
  );
});

test('an embed from a provider the server does not allow is dropped', () => {
  const md = 'Before.\n\n<iframe src="https://evil.example/embed/1" title="x" loading="lazy" allowfullscreen></iframe>\n\nAfter.\n';
  assert.equal(roundTrip(md), 'Before.\n\nAfter.\n');
  const lookalike = '<iframe src="https://www.youtube.com.evil.example/embed/1" title="x"></iframe>\n';
  assert.equal(roundTrip(lookalike), '');
});
