// The editor's schema: StarterKit's blocks and marks (without underline, which Markdown
// cannot say) plus the story's own nodes. StarterKit's trailing empty paragraph (written as
// nothing) lets a writer type after a closing figure or embed.

import StarterKit from '@tiptap/starter-kit';
import { getSchema } from '@tiptap/core';
import { Embed, Figure, InlineImage, ListTightness, Paywall, PullQuote, RawBlock, RawInline } from './nodes.js';

export function extensions() {
  return [
    StarterKit.configure({
      underline: false,
      link: {
        openOnClick: false,
        autolink: true,
        linkOnPaste: true,
        defaultProtocol: 'https',
        HTMLAttributes: { target: null, rel: null, class: null },
      },
    }),
    ListTightness,
    Paywall,
    PullQuote,
    Figure,
    InlineImage,
    Embed,
    RawBlock,
    RawInline,
  ];
}

/** The schema alone (for converting Markdown without an editor on the page). */
export function schema() {
  return getSchema(extensions());
}
