/**
 * The tabs under the lab's workspace (Notation, Lecture checks, Loss surface, Device & files): one shown at a
 * time, the arrow keys, Home and End move between them, and links with data-tab open one without touching the
 * URL's # (nor does the skip link).
 */
import { $, scrollMotion } from './dom.ts';

/** Show one of the tabs under the workspace (notation, lecture checks, loss surface, device and files). */
export function showTab(id: string): void {
  for (const t of document.querySelectorAll<HTMLButtonElement>('.tabs [role="tab"]')) {
    const on = t.id === id;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')!).hidden = !on;
  }
}

export function wireTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('.tabs [role="tab"]')];
  tabs.forEach((t, k) => {
    t.addEventListener('click', () => showTab(t.id));
    // The WAI-ARIA tabs pattern: the arrows to the tab before or after (wrapping), Home and End to the first and last;
    // the keys it takes do not scroll the page.
    t.addEventListener('keydown', (e) => {
      const to = new Map([['ArrowLeft', k - 1], ['ArrowRight', k + 1], ['Home', 0], ['End', tabs.length - 1]]).get(e.key);
      if (to === undefined) return;
      e.preventDefault();
      const next = tabs[(to + tabs.length) % tabs.length];
      showTab(next.id);
      next.focus();
    });
  });
  // The skip link moves focus to the workspace without touching the URL's # either: as a plain #main link it
  // replaced a share link in the address bar, and a reload then opened the default net.
  document.querySelector<HTMLAnchorElement>('a.skip')?.addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  // Links to a tab (the header's, the diagram's hint): show it and scroll to it (smoothly, at once under reduced
  // motion), without touching the URL's #.
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-tab]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      showTab(a.dataset.tab!);
      $('more').scrollIntoView({ behavior: scrollMotion(), block: 'start' });
      $(a.dataset.tab!).focus({ preventScroll: true });
    });
  }
}
