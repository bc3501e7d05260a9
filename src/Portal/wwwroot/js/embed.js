// The embed code on station and constituency pages: made absolute from this page's address (when the server had no public
// origin to write), and a button that copies it.
for (const code of document.querySelectorAll('[data-embed-code]')) {
  const src = new URL(code.dataset.embedPath, location.href).href;
  if (code.value.includes('src="/')) code.value = code.value.replace(/src="[^"]*"/, `src="${src}"`);
  const details = code.closest('details');
  const copy = details.querySelector('[data-embed-copy]');
  const note = details.querySelector('[data-embed-note]');
  if (!navigator.clipboard) continue;
  copy.hidden = false;
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.value);
      note.textContent = copy.dataset.msgCopied;
    } catch {
      code.select();
    }
  });
}
