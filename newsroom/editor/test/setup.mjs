// A browser-like global environment (jsdom) for the editor's modules, installed before they load.
import { JSDOM } from 'jsdom';

export const dom = new JSDOM('<!doctype html><html lang="en"><body></body></html>', {
  url: 'https://newsroom.example/admin/posts/1/',
  pretendToBeVisual: true,
});
const { window } = dom;
for (const name of [
  'window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'HTMLFormElement', 'DOMParser',
  'Event', 'KeyboardEvent', 'InputEvent', 'MouseEvent', 'ClipboardEvent', 'DragEvent', 'MutationObserver',
  'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'FormData', 'File', 'Blob',
  'DocumentFragment', 'Range', 'Selection', 'getSelection', 'HTMLInputElement', 'HTMLTextAreaElement',
]) {
  // Node has its own Event, FormData, File and Blob; the page's must win (FormData reads a form).
  const page = ['window', 'document', 'navigator', 'Event', 'FormData', 'File', 'Blob'];
  if (!(name in globalThis) || page.includes(name)) {
    Object.defineProperty(globalThis, name, { value: window[name], configurable: true, writable: true });
  }
}
globalThis.window = window;
// jsdom has no layout: ProseMirror asks for rectangles when scrolling the selection into view.
window.Range.prototype.getClientRects = () => [];
window.Range.prototype.getBoundingClientRect = () => ({ left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 });
window.Element.prototype.scrollIntoView = () => {};
document.elementFromPoint = () => null;
// jsdom has no ClipboardEvent; ProseMirror's `pasteHTML` makes one to run paste handlers.
if (!window.ClipboardEvent) {
  window.ClipboardEvent = class ClipboardEvent extends window.Event {
    constructor(type, init = {}) {
      super(type, init);
      this.clipboardData = init.clipboardData ?? null;
    }
  };
}
globalThis.ClipboardEvent = window.ClipboardEvent;
