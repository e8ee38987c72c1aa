/**
 * An error the engine threw, made again under another field and message (movedError): what errors.ts underField and
 * the CLI's train (src/cli/train.ts namingFlag) share. Internal: src/errors.ts is the public API (`export *` from
 * src/index.ts), this file is in no entry point.
 */
import type { BackpropError } from './errors.ts';

/**
 * `err` with `field` and `message`: the same class, code and other properties. `base` is BackpropError, whose
 * constructor runs with err's class as new.target: instanceof holds, and the stack is this one's. (Given by the
 * caller: errors.ts uses this file, which so imports only its types.)
 */
export function movedError<E extends BackpropError>(base: typeof BackpropError, err: E, field: string, message: string): E {
  const moved = Reflect.construct(base, [err.code, message, field], err.constructor) as E;
  return Object.assign(moved, err, { field });
}
