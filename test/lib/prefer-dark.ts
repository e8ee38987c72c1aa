/**
 * The system preferring dark for the tests of a describe block: `matchMedia` stubbed so that only
 * '(prefers-color-scheme: dark)' matches (forced colours and print do not), put back after each test. palette.ts's
 * palette() reads it at draw time (test/lab-dark-contrast, lab-dark-plots, lab-output-png).
 */
import { afterEach, beforeEach, vi } from 'vitest';

export function usePreferDark(): void {
  const g = globalThis as { matchMedia?: unknown };
  let saved: unknown;
  beforeEach(() => {
    saved = g.matchMedia;
    g.matchMedia = (q: string) => ({ matches: q === '(prefers-color-scheme: dark)', addEventListener: () => undefined });
  });
  afterEach(() => {
    g.matchMedia = saved;
    vi.unstubAllGlobals();
  });
}
