/**
 * Putting a new net on the page as one step: the session, its data, the example and the selected parameter change
 * together, and only once every view has drawn them. A view that throws (a net too wide for it, a bug) leaves the
 * page as it was — the previous session, drawn again — instead of on the new net with the old one's words.
 */
import { BackpropError, LimitError } from '../errors.ts';

/** What the page shows (page.ts's PageState has these fields). */
export interface Shown<S, D, P> {
  session: S | null;
  data: D | null;
  example: number;
  selected: P | undefined;
}

/** Fields of the page that drawing a net resets (the Loss surface pickers): read before, put back after a failure. */
export interface KeptFields<T> {
  save(): T;
  restore(saved: T): void;
}

/**
 * Show `next` in `state` and `draw` it. On success the previous session is disposed. When `draw` throws, the previous
 * state is put back and drawn again, `kept`'s fields as they were before (the redraw resets them), `next`'s session
 * is disposed, and the error is thrown on: a RangeError (an allocation a view could not make) as a LimitError naming
 * `views`, saying that the page stayed on the previous net.
 */
export function showInstead<S extends { dispose(): void }, D, P, T = undefined>(
  state: Shown<S, D, P>, next: Shown<S, D, P>, draw: () => void, kept?: KeptFields<T>,
): void {
  const before: Shown<S, D, P> = { session: state.session, data: state.data, example: state.example, selected: state.selected };
  const fields = kept?.save();
  Object.assign(state, next);
  try {
    draw();
  } catch (err) {
    Object.assign(state, before);
    try {
      draw();
      if (kept) kept.restore(fields as T);
    } catch {
      // The previous net's views drew before; if they cannot now, the error to show is still the new net's.
    }
    if (next.session !== before.session) next.session?.dispose();
    if (err instanceof RangeError && !(err instanceof BackpropError)) {
      throw new LimitError('views', `the page could not draw this net (${err.name}: ${err.message}), so it stays on the previous one`);
    }
    throw err;
  }
  if (before.session !== next.session) before.session?.dispose();
}
