// The embed code on station and constituency pages: made absolute from this page's address (when the server had no public
// origin to write), and a button that copies it.
for (const code of document.querySelectorAll('[data-embed-code]')) {
  const src = new URL(code.dataset.embedPath, location.href).href;
  if (code.value.includes('src="/')) code.value = code.value.replace(/src="[^"]*"/, `src="${src.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`);
  // One tap selects the whole code, ready to copy (without this script the text is still selectable by hand).
  // (The mouseup that follows a click's focus would otherwise clear the selection again.)
  code.addEventListener('focus', () => {
    code.select();
    code.addEventListener('mouseup', e => e.preventDefault(), { once: true });
  });
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
