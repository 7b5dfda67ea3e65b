/** One polite live region for the whole console: what changed, said once. */
let region: HTMLElement | null = null;

export function attachAnnouncer(element: HTMLElement | null): void {
  region = element;
}

export function announce(message: string): void {
  if (!region) return;
  region.textContent = '';
  // A new text node after clearing makes screen readers speak a repeated message again.
  window.setTimeout(() => {
    if (region) region.textContent = message;
  }, 30);
}
