// A small modal form for the editor's questions (link address, alt text and caption, embed
// address). Escape or "Cancel" answers null; focus returns to where it was.

let counter = 0;

/**
 * Asks for `fields` ({ name, label, value, type, hint }) and resolves to their values by name,
 * or to null when cancelled.
 */
export function ask(doc, { title, fields, submit = 'Save' }) {
  const id = `me-dialog-${++counter}`;
  const returnTo = doc.activeElement;
  const dialog = doc.createElement('dialog');
  dialog.className = 'me-dialog';
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  const form = doc.createElement('form');
  form.method = 'dialog';
  const heading = doc.createElement('h2');
  heading.id = `${id}-title`;
  heading.textContent = title;
  form.append(heading);
  for (const field of fields) form.append(row(doc, id, field));
  const actions = doc.createElement('div');
  actions.className = 'me-dialog-actions';
  actions.append(button(doc, 'Cancel', 'button'), button(doc, submit, 'submit'));
  form.append(actions);
  dialog.append(form);
  doc.body.append(dialog);
  return new Promise((resolve) => {
    const finish = (answer) => {
      dialog.remove();
      returnTo?.focus?.();
      resolve(answer);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const values = {};
      for (const field of fields) values[field.name] = form.elements[field.name].value.trim();
      finish(values);
    });
    actions.firstChild.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        finish(null);
      }
    });
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    form.elements[fields[0].name]?.focus();
  });
}

function row(doc, id, { name, label, value = '', type = 'text', hint }) {
  const wrap = doc.createElement('p');
  const labelEl = doc.createElement('label');
  labelEl.htmlFor = `${id}-${name}`;
  labelEl.textContent = label;
  const input = doc.createElement('input');
  input.id = `${id}-${name}`;
  input.name = name;
  input.type = type;
  input.value = value;
  input.autocomplete = 'off';
  wrap.append(labelEl, input);
  if (hint) {
    const small = doc.createElement('small');
    small.id = `${id}-${name}-hint`;
    small.textContent = hint;
    input.setAttribute('aria-describedby', small.id);
    wrap.append(small);
  }
  return wrap;
}

function button(doc, text, type) {
  const b = doc.createElement('button');
  b.type = type;
  b.textContent = text;
  return b;
}
