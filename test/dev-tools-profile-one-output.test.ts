/**
 * src/node/wasm-profile.ts profiles an MSE net and a softmax-CE net of the --layers widths. Softmax over one unit is
 * e^z / e^z = 1 (src/spec.ts refuses such a net naming layers[L].units, since stop 55): a last width of 1 is refused
 * in the tool's own words, naming --layers, as its other flags are — it failed later, in profile(), with the engine's
 * `layers[1].units: …`. A last width of 2 is read as given.
 */
import { describe, expect, it } from 'vitest';
import { parseProfileArgs } from '../src/node/wasm-profile.ts';

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('wasm-profile --layers: a last width of 1 is refused (its softmax-CE net)', () => {
  it('refused naming --layers and why', () => {
    for (const v of ['4,1', '1024,1024,1']) {
      expect(errorOf(() => parseProfileArgs(['--layers', v])), v).toBe(`--layers ${v}: the tool profiles a softmax-CE net too, which needs a last width of at least 2 (softmax over 1 unit is always 1: loss 0, nothing trains)`);
    }
  });

  it('a last width of 2 is read as given', () => {
    expect(parseProfileArgs(['--layers', '4,2']).sizes).toEqual([4, 2]);
  });
});
