// Autosave, conflict handling and the unsaved-changes warning for one post form.

/**
 * Watches `form` for changes. With `data-autosave-url`, posts the whole form a few seconds
 * after the last change; a 409 stops autosaving and shows the conflict banner. Leaving the
 * page with unsaved changes asks first, unless the form is being submitted.
 */
export function watchForm(form, { status, fetch = (...a) => globalThis.fetch(...a), delay = 3000, win = globalThis.window }) {
  const url = form.dataset.autosaveUrl;
  const state = { version: 0, savedVersion: 0, timer: null, inFlight: false, stopped: false, submitting: false };
  const dirty = () => state.version !== state.savedVersion && !state.submitting;

  async function save() {
    state.timer = null;
    if (state.stopped || !url) return;
    if (state.inFlight) return schedule();
    const sent = state.version;
    state.inFlight = true;
    say(status, 'Saving…');
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'X-CSRF-Token': form.dataset.csrf || '',
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(new FormData(form)).toString(),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 200) {
        const base = form.querySelector('input[name=base_revision]');
        if (base && body.revision != null) base.value = String(body.revision);
        state.savedVersion = Math.max(state.savedVersion, sent);
        say(status, `Saved${clock(body.saved_at)}`);
      } else if (response.status === 409) {
        state.stopped = true;
        say(status, 'Not saved: someone else changed this post');
        showConflict(form, body, win, () => {
          state.submitting = true;
        });
      } else {
        say(status, `Not saved: ${body.message || `the server answered ${response.status}`}`);
      }
    } catch {
      say(status, 'Not saved: the server could not be reached. Trying again…');
    } finally {
      state.inFlight = false;
    }
    if (dirty() && !state.stopped) schedule();
  }

  function schedule() {
    if (!url || state.stopped) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(save, delay);
  }

  form.addEventListener('input', () => {
    state.version += 1;
    schedule();
  });
  form.addEventListener('change', () => {
    state.version += 1;
    schedule();
  });
  form.addEventListener('submit', () => {
    state.submitting = true;
    clearTimeout(state.timer);
  });
  win?.addEventListener('beforeunload', (event) => {
    if (!dirty()) return;
    event.preventDefault();
    event.returnValue = '';
  });
  return { save, dirty, stopped: () => state.stopped };
}

function say(region, text) {
  if (region) region.textContent = text;
}

function clock(savedAt) {
  const date = savedAt ? new Date(savedAt) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return ` at ${date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

/** The banner that offers the two ways out of a conflict. */
function showConflict(form, body, win, leaving) {
  const doc = form.ownerDocument;
  form.querySelector('.me-conflict')?.remove();
  const banner = doc.createElement('div');
  banner.className = 'me-conflict';
  banner.setAttribute('role', 'alert');
  const text = doc.createElement('p');
  const who = body.by ? ` Saved by ${body.by}${body.at ? ` at ${when(body.at)}` : ''}.` : '';
  text.textContent = `${body.message || 'This post was changed by someone else.'}${who} Autosave is paused.`;
  const reload = doc.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload the latest version';
  reload.addEventListener('click', () => {
    leaving();
    win?.location.reload();
  });
  const copy = doc.createElement('button');
  copy.type = 'button';
  copy.textContent = 'Save mine as a copy';
  copy.addEventListener('click', () => {
    leaving();
    if (form.dataset.copyUrl) form.action = form.dataset.copyUrl;
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  });
  banner.append(text, reload, copy);
  form.prepend(banner);
}

function when(at) {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toLocaleString();
}
