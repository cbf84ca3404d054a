// The editor's toolbar: one tab stop (roving tabindex), arrow keys between buttons, pressed
// state for marks and blocks, and a disabled look that keeps buttons reachable.

/**
 * Builds the toolbar for `buttons` ({ id, label, text, shortcut, run, active?, disabled? }) and
 * returns it with `refresh()`, which re-reads every button's state.
 */
export function toolbar(doc, buttons) {
  const bar = doc.createElement('div');
  bar.className = 'me-toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Formatting');
  const elements = buttons.map((spec, i) => {
    if (spec.separator) {
      const sep = doc.createElement('span');
      sep.className = 'me-sep';
      sep.setAttribute('aria-hidden', 'true');
      return sep;
    }
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = `me-btn me-btn-${spec.id}`;
    b.dataset.command = spec.id;
    b.textContent = spec.text;
    b.setAttribute('aria-label', spec.label);
    b.title = spec.shortcut ? `${spec.label} (${spec.shortcut})` : spec.label;
    if (spec.shortcut) b.setAttribute('aria-keyshortcuts', spec.shortcut.replace('Ctrl', 'Control'));
    if (spec.active) b.setAttribute('aria-pressed', 'false');
    b.tabIndex = i === 0 ? 0 : -1;
    // Keep the editor's selection: a click must not move focus before the command runs.
    b.addEventListener('mousedown', (event) => event.preventDefault());
    b.addEventListener('click', () => {
      if (b.getAttribute('aria-disabled') === 'true') return;
      spec.run();
    });
    return b;
  });
  bar.append(...elements);
  const focusable = () => elements.filter((e) => e.tagName === 'BUTTON' && !e.hidden);

  bar.addEventListener('keydown', (event) => {
    const list = focusable();
    const at = list.indexOf(doc.activeElement);
    if (at < 0) return;
    const to = {
      ArrowRight: (at + 1) % list.length,
      ArrowDown: (at + 1) % list.length,
      ArrowLeft: (at - 1 + list.length) % list.length,
      ArrowUp: (at - 1 + list.length) % list.length,
      Home: 0,
      End: list.length - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    move(list, list[to]);
  });
  bar.addEventListener('focusin', (event) => {
    if (event.target.tagName === 'BUTTON') move(focusable(), event.target, false);
  });

  function refresh() {
    buttons.forEach((spec, i) => {
      const b = elements[i];
      if (spec.separator) return;
      if (spec.active) b.setAttribute('aria-pressed', String(Boolean(spec.active())));
      if (spec.disabled) b.setAttribute('aria-disabled', String(Boolean(spec.disabled())));
    });
  }
  return { element: bar, refresh, button: (id) => elements.find((e) => e.dataset?.command === id) };
}

function move(list, target, focus = true) {
  for (const b of list) b.tabIndex = b === target ? 0 : -1;
  if (focus) target.focus();
}
