// Pasting from word processors: samples written for these tests in the shape Google Docs and
// Word put on the clipboard (not copied from real documents).
import { dom } from './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor } from '@tiptap/core';
import { extensions } from '../src/extensions.js';
import { cleanPastedHtml } from '../src/paste.js';
import { toMarkdown } from '../src/markdown.js';

function pasted(html) {
  const editor = new Editor({
    element: dom.window.document.createElement('div'),
    extensions: extensions(),
    editorProps: { transformPastedHTML: cleanPastedHtml },
  });
  editor.view.pasteHTML(html);
  const md = toMarkdown(editor.state.doc);
  editor.destroy();
  return md;
}

const GOOGLE_DOCS = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5f1c2a7e-7fff-3c1d-9d2e-0b1a2c3d4e5f"><h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;"><span style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">Sanctions, one year on</span></h2><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:normal;">The regime adapted </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;font-style:normal;">faster</span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:normal;"> than </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:italic;">anyone</span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;"> expected, says </span><a href="https://example.org/report" style="text-decoration:none;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#1155cc;font-weight:400;text-decoration:underline;">the report</span></a><span style="font-size:11pt;font-weight:400;">.</span></p><br><ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:disc;font-size:11pt;font-family:Arial,sans-serif;" aria-level="1"><p dir="ltr" style="line-height:1.38;" role="presentation"><span style="font-size:11pt;font-weight:400;">Oil exports</span></p></li><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;" role="presentation"><span style="font-size:11pt;font-weight:400;">Shadow fleet</span></p></li></ul><br><div dir="ltr" style="margin-left:0pt;" align="left"><table style="border:none;border-collapse:collapse;"><colgroup><col width="200"></colgroup><tbody><tr style="height:0pt"><td style="border-left:solid #000000 1pt;padding:5pt;"><p dir="ltr"><span style="font-size:11pt;font-weight:400;">Cell text</span></p></td></tr></tbody></table></div></b>`;

const WORD = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm; font-size:11.0pt;} --></style></head><body lang=EN-GB style='tab-interval:36.0pt'><!--StartFragment--><h1 style='mso-margin-top-alt:auto'><span lang=EN-GB style='font-size:20.0pt;mso-fareast-font-family:"Times New Roman"'>Briefing note<o:p></o:p></span></h1><p class=MsoNormal><span style='mso-ansi-language:EN-GB'>The <b style='mso-bidi-font-weight:normal'>first</b> point and an <i style='mso-bidi-font-style:normal'>aside</i>.<o:p></o:p></span></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Troops<o:p></o:p></p><p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Northern front<o:p></o:p></p><p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span></span><![endif]>Supplies<o:p></o:p></p><p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Assess<o:p></o:p></p><p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Act<o:p></o:p></p><p class=MsoNormal><a href="https://example.org/brief"><span style='color:#0563C1'>Source</span></a><o:p></o:p></p><!--EndFragment--></body></html>`;

test('Google Docs: structure kept, the docs-internal-guid wrapper is not bold, styles dropped', () => {
  assert.equal(
    pasted(GOOGLE_DOCS),
    [
      '## Sanctions, one year on',
      '',
      'The regime adapted **faster** than *anyone* expected, says [the report](https://example.org/report).',
      '',
      '- Oil exports',
      '- Shadow fleet',
      '',
      'Cell text',
      '',
    ].join('\n'),
  );
  const cleaned = cleanPastedHtml(GOOGLE_DOCS);
  assert.doesNotMatch(cleaned, /style=|docs-internal-guid|dir=|<span/);
  assert.doesNotMatch(cleanPastedHtml('<p data-x="1" style="color:red">a</p>'), /style|data-x/);
});

test('Word: headings, bold, italic, links and nested lists kept; mso- styles, o:p and markers dropped', () => {
  assert.equal(
    pasted(WORD),
    [
      '# Briefing note',
      '',
      'The **first** point and an *aside*.',
      '',
      '- Troops',
      '  - Northern front',
      '- Supplies',
      '',
      '1. Assess',
      '2. Act',
      '',
      '[Source](https://example.org/brief)',
      '',
    ].join('\n'),
  );
  const cleaned = cleanPastedHtml(WORD);
  assert.doesNotMatch(cleaned, /mso-|Mso|o:p|class=|style=|<span|·/);
});

test('pasted HTML keeps an allowed embed and drops any other iframe', () => {
  const md = pasted(
    '<p>Watch:</p><iframe src="https://player.vimeo.com/video/76979871" title="Talk"></iframe><iframe src="https://tracker.example/x"></iframe><p>End.</p>',
  );
  assert.equal(
    md,
    'Watch:\n\n<iframe src="https://player.vimeo.com/video/76979871" title="Talk" loading="lazy" allowfullscreen></iframe>\n\nEnd.\n',
  );
});

test('pasted scripts, event handlers and javascript: links leave nothing behind', () => {
  const md = pasted('<p onclick="x()">Hi <a href="javascript:alert(1)">there</a><script>alert(1)</script></p><img src="data:image/png;base64,AAAA" alt="x">');
  assert.equal(md, 'Hi there\n');
});
