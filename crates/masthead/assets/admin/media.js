// The newsroom's media page script (no framework; the pages work without it): "Copy URL" in
// the media library, and the editor's lead-image field, where a file picked, dropped or pasted
// is uploaded at once to the form's `data-upload-url` and a library choice fills the URL.

for (const button of document.querySelectorAll('[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector('[data-copy-status]');
  button.hidden = !navigator.clipboard || !source;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = 'Copied.';
    } catch {
      source.select();
      status.textContent = 'Press Ctrl+C (⌘C) to copy the selected URL.';
    }
  });
}

const field = document.querySelector('[data-lead-field]');
const form = field?.closest('form');
if (field && form?.dataset.uploadUrl) {
  const url = field.querySelector('[data-lead-image]');
  const file = field.querySelector('[data-lead-file]');
  const status = field.querySelector('[data-lead-status]');
  // Without a lead image there is no preview element (an <img> needs a src): made when needed.
  let preview = field.querySelector('[data-lead-preview]');
  const alt = form.querySelector('[name=image_alt]');

  const picks = [...field.querySelectorAll('[name=image_pick]')];
  // A checked library choice wins over the URL field on the server, so it must follow it.
  const show = (src) => {
    for (const pick of picks) pick.checked = pick.value === src;
    url.value = src;
    if (!preview && src) {
      preview = document.createElement('img');
      preview.className = 'lead-preview';
      preview.alt = '';
      preview.dataset.leadPreview = '';
      field.querySelector('legend').after(preview);
    }
    if (preview) {
      preview.src = src;
      preview.hidden = !src;
    }
    if (!alt.value.trim()) alt.focus();
  };

  const upload = async (chosen) => {
    if (!chosen || !/^image\//.test(chosen.type)) return;
    status.textContent = `Uploading ${chosen.name}…`;
    const data = new FormData();
    data.append('file', chosen, chosen.name);
    if (alt.value.trim()) data.append('alt', alt.value.trim());
    try {
      const res = await fetch(form.dataset.uploadUrl, {
        method: 'POST',
        body: data,
        headers: { 'X-CSRF-Token': form.dataset.csrf || '', Accept: 'application/json' },
        credentials: 'same-origin',
      });
      const body = await res.json().catch(() => null);
      if (res.status !== 201 || !body?.url) throw new Error(body?.message || `The upload failed (HTTP ${res.status}).`);
      show(body.url);
      status.textContent = alt.value.trim() ? 'Uploaded.' : 'Uploaded. Now describe the image in the alt text.';
    } catch (err) {
      status.textContent = err.message || 'The upload failed.';
    } finally {
      file.value = '';
    }
  };

  file.addEventListener('change', () => upload(file.files[0]));
  field.addEventListener('dragover', (e) => {
    e.preventDefault();
    field.classList.add('dragging');
  });
  field.addEventListener('dragleave', () => field.classList.remove('dragging'));
  field.addEventListener('drop', (e) => {
    e.preventDefault();
    field.classList.remove('dragging');
    upload(e.dataTransfer?.files[0]);
  });
  field.addEventListener('paste', (e) => {
    const pasted = [...(e.clipboardData?.files || [])].find((f) => /^image\//.test(f.type));
    if (pasted) {
      e.preventDefault();
      upload(pasted);
    }
  });
  url.addEventListener('input', () => picks.forEach((pick) => (pick.checked = false)));
  for (const pick of picks) {
    pick.addEventListener('change', () => {
      show(pick.value);
      if (!alt.value.trim() && pick.dataset.alt) alt.value = pick.dataset.alt;
    });
  }
}
