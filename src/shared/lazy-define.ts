/**
 * Elements of the standalone bundle whose code loads on first use (vite.config.ts makes each
 * `import()` a chunk beside `mm-crm.js`). `defineOnFirstUse(tag, load)` calls `load` (which
 * defines the tag) as soon as such an element is in the document: already there when the
 * bundle runs, or added later (a MutationObserver). After a failed download (offline) it
 * tries again when the document next changes, though a browser that keeps the failed module
 * (Chrome does, until the page is reloaded) fails again at once. An element inside another
 * element's shadow root is not seen: import its define file, or call the loader the bundle
 * exports. Until the code arrives the element is undefined (`:not(:defined)` styles it);
 * properties set on it meanwhile are kept by Lit's upgrade.
 */
export function defineOnFirstUse(tag: string, load: () => Promise<unknown>): void {
  const observer = new MutationObserver(() => check());
  const watch = () => observer.observe(document, { childList: true, subtree: true });
  const check = () => {
    if (!document.querySelector(tag)) return;
    observer.disconnect();
    load().catch(watch);
  };
  watch();
  check();
}
