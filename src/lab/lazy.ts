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
    super(`${part} did not load (${messageOf(cause)}); check the connection and try again`, { cause });
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
