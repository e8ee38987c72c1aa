/**
 * Code the lab fetches when an action first needs it, not at start (the loss surface's 3-D drawing and wgpu-matrix,
 * ~190 kB of script: a student who never opens the Loss surface tab never downloads it). On a slow school link a
 * failed fetch is a real case: it surfaces as a LazyCodeError naming the part, not as the browser's bare
 * "Failed to fetch dynamically imported module".
 */
import { messageOf } from '../checks.ts';

/** A part of the lab's code that did not load (the network dropped, the site was updated under the page). */
export class LazyCodeError extends Error {
  override readonly name = 'LazyCodeError';
  /** The part that did not load, in words ("the loss surface's drawing code"). */
  readonly part: string;
  constructor(part: string, cause: unknown) {
    // NOTE: a site updated under the page has no such file any more, and trying again never helps: only a reload,
    // which loses the net on the page unless it was exported first — so the words say both.
    super(`${part} did not load (${messageOf(cause)}); check the connection and try again — if it fails again, the site may have changed since this page was loaded: export the spec (Device & files) to keep the net, then reload the page`, { cause });
    this.part = part;
  }
}

/**
 * `load()` (a dynamic import), with `progress` shown while it runs; a failure empties the progress line (it said
 * "Loading …" after the page's busy state had ended, nothing loading) and becomes a LazyCodeError naming `part`.
 */
export async function loadCode<T>(part: string, load: () => Promise<T>, progress: (line: string) => void): Promise<T> {
  progress(`Loading ${part}…`);
  try {
    return await load();
  } catch (err) {
    progress('');
    throw new LazyCodeError(part, err);
  }
}

/** A page line that loadCode's progress is written on (an element: its textContent). */
export interface ProgressLine {
  textContent: string | null;
}

/**
 * loadCode's progress on a line that says something already (the Network region's stage line: the net on the page).
 * `show` writes a progress line, and '' (loadCode's on failure) puts back what the line said before; `failed()`, after
 * a failure further on (the code came, the net it made was refused), does the same if a progress line is still up, so
 * the line never says "Loading …" once nothing loads. A line the work wrote meanwhile (the new net's) is kept.
 */
export function progressOn(line: ProgressLine): { show: (text: string) => void; failed: () => void } {
  const was = line.textContent ?? '';
  let shown = '';
  return {
    show: (text) => {
      shown = text;
      line.textContent = text || was;
    },
    failed: () => {
      if (shown !== '' && line.textContent === shown) line.textContent = was;
      shown = '';
    },
  };
}
