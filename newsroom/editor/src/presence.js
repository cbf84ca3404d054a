// Who else has this post open: a heartbeat to `data-presence-url` every 10 seconds.

/** "Nadia Rahman is editing", "A and B are editing", "A, B and 2 others are editing", or "". */
export function presenceText(others) {
  const names = (others || []).map((o) => o?.name).filter(Boolean);
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is editing`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are editing`;
  const rest = names.length - 2;
  return `${names[0]}, ${names[1]} and ${rest} other${rest === 1 ? '' : 's'} are editing`;
}

/** Starts the heartbeat; returns a function that stops it. */
export function startPresence(form, region, { fetch = (...a) => globalThis.fetch(...a), every = 10_000 } = {}) {
  const url = form.dataset.presenceUrl;
  if (!url) return () => {};
  async function beat() {
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': form.dataset.csrf || '', Accept: 'application/json' },
      });
      if (!response.ok) return;
      const text = presenceText((await response.json()).others);
      if (region.textContent !== text) region.textContent = text;
    } catch {
      // A missed heartbeat is harmless: the next one tries again.
    }
  }
  beat();
  const timer = setInterval(beat, every);
  return () => clearInterval(timer);
}
