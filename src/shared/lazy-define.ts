/**
 * Elements of the standalone bundle whose code loads on first use (vite.config.ts makes each
 * `import()` a chunk beside `mm-crm.js`). `defineOnFirstUse(tag, load)` calls `load` (which
 * defines the tag) as soon as such an element is in the document: already there when the
 * bundle runs, or added later (a MutationObserver). An element inside another element's
 * shadow root is not seen: import its define file, or call the loader the bundle exports.
 * Until the code arrives the element is undefined (`:not(:defined)` styles it); properties
 * set on it meanwhile are kept by Lit's upgrade.
 */
export function defineOnFirstUse(tag: string, load: () => Promise<unknown>): void {
  if (customElements.get(tag)) return;
  let loading: Promise<unknown> | undefined;
  const start = () => {
    observer.disconnect();
    loading ??= load().catch((error: unknown) => {
      // A failed download (offline): the next element added tries again.
      loading = undefined;
      watch();
      console.error(`Could not load <${tag}>:`, error);
    });
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element && (node.localName === tag || node.querySelector(tag))) {
          return start();
        }
      }
    }
  });
  const watch = () => observer.observe(document, { childList: true, subtree: true });
  if (document.querySelector(tag)) start();
  else watch();
}
