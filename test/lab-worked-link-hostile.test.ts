/**
 * A crafted share link's `&worked=` (files.ts readFragment, checkLink → openedWorked): a few kilobytes that froze the
 * page before any refusal. Sized so that the code before each fix runs past the test's timeout on a fast machine too
 * (measured here: 16 s, 20 s, 47 s and 16 s), and each refusal is also
 * asserted (its field), so the test fails on what it says, not only on time.
 */
import { describe, expect, it } from 'vitest';
import { ClaimError, SpecError } from '../src/errors.ts';
import { checkLink, importedData, readFragment } from '../src/lab/files.ts';
import { checkWorkedSize } from '../src/lab/worked-bounds.ts';
import { validateSpec } from '../src/spec.ts';

/** A 1-1 net, one example: the smallest net a link carries. */
const SPEC = { name: 'tiny', inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', params: { W: [[[0.5]]], b: [[0]] }, x: [[1]], y: [[0]], lr: 0.1 };

function example(spec: object, claims: object[]): object {
  return { format: 'backprop-worked-example/1', id: 'hostile', title: 'Hostile', source: 'a link', description: 'crafted', spec, claims };
}

/** The lab's reading of a link `#spec=…&worked=…` carrying `example` (as shareLink writes it, but with no size cap). */
function openLink(ex: object): unknown {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return checkLink(readFragment(`#spec=${b64(SPEC)}&worked=${b64({ file: 'evil.worked.json', example: ex })}`));
}

describe('a hostile &worked= link is refused before it freezes the page', () => {
  it('a claim with 200 000 distinct example indices: refused naming its examples (the duplicate check was quadratic)', { timeout: 5000 }, () => {
    const examples = Array.from({ length: 200_000 }, (_, i) => i);
    const ex = example(SPEC, [{ name: 'L', printed: 0.1, decimals: 1, examples }]);
    // The 1-1 net has 1 example: index 1 does not exist (README's worked-example format: examples are 0-based).
    expect(() => openLink(ex)).toThrow(ClaimError);
    expect(() => openLink(ex)).toThrow(/evil\.worked\.json: claims\[0\] \("L"\)\.examples: example 1 does not exist/);
  });

  it('a worked net of 10 layers × 640 units (3.7 million names): refused naming spec, before any name is built', { timeout: 5000 }, () => {
    // 640·(1 + 2) + 640 + 9·(640·(640 + 2) + 640) + … ≈ 3.7e6 names > EAGER_NAMES (200 000): resolving the claim's name built them all (half a minute).
    const layers = [...Array.from({ length: 10 }, () => ({ units: 640, activation: 'sigmoid' })), { units: 1, activation: 'sigmoid' }];
    const big = { ...SPEC, name: 'big', layers, params: undefined, init: { scheme: 'xavier', seed: 1 } };
    const ex = example(big, [{ name: 'w1', printed: 0.1, decimals: 1 }]);
    expect(() => openLink(ex)).toThrow(SpecError);
    expect(() => openLink(ex)).toThrow(/^evil\.worked\.json: spec: .*more than the 200000 names/);
    // The same file opened (Device & files → Open) is refused alike.
    expect(() => importedData(JSON.stringify(ex), 'evil.worked.json', null)).toThrow(/^evil\.worked\.json: spec: /);
  });

  it('one formula of 9 000 characters on each of 20 000 examples: refused naming claims (it was 47 s of evaluation)', { timeout: 5000 }, () => {
    const x = Array.from({ length: 20_000 }, (_, i) => [i / 20_000]);
    const spec = { ...SPEC, x, y: x.map(() => [0]) };
    // 3 000 terms "x1+…" (8 999 characters) × 20 000 examples = 1.8e8 > MAX_WORKED_FORMULA (1e6).
    const formula = Array.from({ length: 3000 }, () => 'x1').join('+');
    const ex = example(spec, [{ name: 'x1', formula, examples: x.map((_, i) => i) }]);
    expect(() => openLink(ex)).toThrow(ClaimError);
    expect(() => openLink(ex)).toThrow(/^evil\.worked\.json: claims: their formulas are 179980000 characters × the examples/);
  });

  it('a net of 92 403 names on 50 000 examples: refused naming spec (the scalar engine ran it all, 16 s and more)', { timeout: 5000 }, () => {
    const x = Array.from({ length: 50_000 }, (_, i) => [i / 50_000]);
    // 1-300-300-1: 300·(1 + 2) + 300 + 300·(300 + 2) + 300 + 1·(300 + 2) + 1 = 92 403 names, × 50 000 > MAX_WORKED_VALUES (2e7).
    const layers = [{ units: 300, activation: 'sigmoid' }, { units: 300, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }];
    const spec = { ...SPEC, layers, params: undefined, init: { scheme: 'xavier', seed: 1 }, x, y: x.map(() => [0]) };
    const ex = example(spec, [{ name: 'L', printed: 0.1, decimals: 1 }]);
    expect(() => openLink(ex)).toThrow(SpecError);
    expect(() => openLink(ex)).toThrow(/^evil\.worked\.json: spec: the net has 92403 names on 50000 examples/);
  });

  // NOTE: 1 s alone (the one claim checked at the end walks its 1.7 million paths); 5.1 s in a CI beside three other
  // test runs went past a 5 s timeout. Without the bound the first openLink checks all 40 claims (~28 s) and throws
  // nothing: the expectation fails, whatever the timeout.
  it('40 claims of ∂L/∂w1 on a 1-2-120-120-120-1 net (1.7 million paths each): refused naming claims (0.7 s a claim)', { timeout: 30_000 }, () => {
    // w1 feeds unit 1 of layer 1; its paths to ŷ go through one unit of each of the three layers of 120: 120³ = 1 728 000.
    const layers = [{ units: 2, activation: 'sigmoid' }, ...Array.from({ length: 3 }, () => ({ units: 120, activation: 'sigmoid' })), { units: 1, activation: 'sigmoid' }];
    const spec = { ...SPEC, layers, params: undefined, init: { scheme: 'xavier', seed: 1 } };
    const ex = example(spec, Array.from({ length: 40 }, () => ({ name: '∂L/∂w1', printed: 0.1, decimals: 1 })));
    expect(() => openLink(ex)).toThrow(ClaimError);
    // 40 evaluations × 2·120³·1 = 3 456 000 paths at most each.
    expect(() => openLink(ex)).toThrow(/^evil\.worked\.json: claims: 40 evaluations .* of up to 3456000 paths, more than the 4000000/);
    // One such claim is checked (its 1 728 000 paths within the scalar engine's own MAX_PATHS).
    expect(openLink(example(spec, [{ name: '∂L/∂w1', printed: 0.1, decimals: 1 }]))).toHaveProperty('own');
  });

  it('10 claims of ∂L/∂w1 on the batch (no examples) of 2 000 examples: refused naming claims (each sums 2 000 examples\' paths)', { timeout: 5000 }, () => {
    // 1-2-10-10-10-1: w1's paths go through one unit of each layer of 10, 10³ = 1 000 an example; a claim without
    // examples is ∂L/∂w1 of the batch, the sum over its 2 000 examples: 2 000 000 paths (within MAX_PATHS), about a
    // second a claim. Counted as one evaluation each (10 × 2·10³·1 = 20 000 ≤ 4 000 000), the link opened after 13 s.
    const x = Array.from({ length: 2000 }, (_, i) => [i / 2000]);
    const layers = [{ units: 2, activation: 'sigmoid' }, ...Array.from({ length: 3 }, () => ({ units: 10, activation: 'sigmoid' })), { units: 1, activation: 'sigmoid' }];
    const spec = { ...SPEC, layers, params: undefined, init: { scheme: 'xavier', seed: 1 }, x, y: x.map(() => [0]) };
    const ex = example(spec, Array.from({ length: 10 }, () => ({ name: '∂L/∂w1', printed: 0.1, decimals: 1 })));
    expect(() => openLink(ex)).toThrow(ClaimError);
    // 10 claims × 2 000 examples = 20 000 evaluations, × 2·10·10·10·1 = 2 000 paths at most each: 4e7 > 4e6.
    expect(() => openLink(ex)).toThrow(/^evil\.worked\.json: claims: 20000 evaluations .* of up to 2000 paths, more than the 4000000/);
  });

  it('2 100 claims of ∂L/∂w1 on a chain of 1 000 layers of one unit (one path, a factor a layer): refused naming claims (20 000 took 9 s)', { timeout: 5000 }, () => {
    // One path (1¹⁰⁰⁰), so the paths bound passes: 2 100 × 1 = 2 100 ≤ 4 000 000. Each evaluation walks 1 000 factors:
    // 2 100 × 1 000 = 2 100 000 > 2 000 000. 2 000 such claims (2 000 000) are within it.
    const layers = Array.from({ length: 1000 }, () => ({ units: 1, activation: 'identity' }));
    const spec = { ...SPEC, layers, params: undefined, init: { scheme: 'xavier', seed: 1 } };
    const claims = (n: number) => Array.from({ length: n }, () => ({ name: '∂L/∂w1', printed: 0.1, decimals: 1 }));
    expect(() => openLink(example(spec, claims(2100)))).toThrow(ClaimError);
    expect(() => openLink(example(spec, claims(2100)))).toThrow(/^evil\.worked\.json: claims: 2100 evaluations \(as above\) through 1000 layers, a factor a layer: 2100000, more than the 2000000/);
    expect(() => checkWorkedSize(validateSpec(spec).net, 1, claims(2000) as never)).not.toThrow();
  });

  it('a file name (or Fit settings) nested 200 000 arrays deep: a SpecError naming it, not a RangeError from quoting it', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const spec = b64(JSON.stringify(SPEC));
    // The message quoted the value with JSON.stringify, which recursed once per level: "Maximum call stack size exceeded".
    expect(() => checkLink(readFragment(`#spec=${spec}&worked=${b64(`{"file":${deep},"example":{}}`)}`))).toThrow(SpecError);
    expect(() => checkLink(readFragment(`#spec=${spec}&worked=${b64(`{"file":${deep},"example":{}}`)}`))).toThrow(/^worked: must be \{file, example\} .*got file an array of length 1/);
    expect(() => checkLink(readFragment(`#spec=${spec}&worked=${b64(deep)}`))).toThrow(/^worked: must be \{file, example\} .*got an array of length 1/);
    const fit = b64(deep);
    expect(() => checkLink(readFragment(`#spec=${spec}&batch=1&fit=${fit}`))).toThrow(SpecError);
    expect(() => checkLink(readFragment(`#spec=${spec}&batch=1&fit=${fit}`))).toThrow(/^fit: must be .*got an array of length 1/);
  });

  it('an instructor\'s 3-4-4-2 net, a dozen claims on its 4 examples: opens at the paths bound exactly, one character more is refused', () => {
    // By hand: the product of the layers' units is 4·4·2 = 32, so 4 000 000 paths are 125 000 evaluations. Claims:
    // L on the batch (no examples: all 4 count), 5 of ∂L/∂w1 on examples 0 … 3 (4 each): 24; 6 formulas on 0 … 3,
    // 4·(1 + characters) each, their characters 5 × 5 206 + (1 736 formula + 1 736 correct + 1 736 reading) = 31 238:
    // 4·(6 + 31 238) = 124 976. 24 + 124 976 = 125 000, × 32 = 4 000 000, not more than the bound.
    const x = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]];
    const layers = [{ units: 4, activation: 'sigmoid' }, { units: 4, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }];
    const spec = { ...SPEC, name: 'course', inputs: 3, layers, params: undefined, init: { scheme: 'xavier', seed: 1 }, x, y: x.map(() => [0, 1]) };
    const all = [0, 1, 2, 3];
    /** A formula of exactly n characters: x1+x1+… padded with spaces. */
    const formula = (n: number) => { const f = Array.from({ length: Math.floor((n + 1) / 3) }, () => 'x1').join('+'); return f + ' '.repeat(n - f.length); };
    const claims = (reading: number) => [
      { name: 'L', printed: 0.1, decimals: 1 },
      ...Array.from({ length: 5 }, () => ({ name: '∂L/∂w1', printed: 0.1, decimals: 1, examples: all })),
      ...Array.from({ length: 5 }, () => ({ name: 'x1', formula: formula(5206), examples: all })),
      { name: 'x1', formula: formula(1736), examples: all, erratum: { correct: formula(1736), readings: [formula(reading)], why: 'a slip' } },
    ];
    expect(formula(5206)).toHaveLength(5206);
    const { own } = openLink(example(spec, claims(1736))) as { own?: { worked: { claims: unknown[] } } };
    expect(own?.worked.claims).toHaveLength(12);
    // One character more in the erratum's reading: 4 more evaluations, 125 004 × 32 = 4 000 128.
    expect(() => openLink(example(spec, claims(1737)))).toThrow(/^evil\.worked\.json: claims: 125004 evaluations .* of up to 32 paths, more than the 4000000/);
  });

  it('a small worked net still opens from a link with its claims', () => {
    // 1 input → 1 unit: 1·(1 + 2) + 1 bias = 4 names, well within the bound: opened, its claim kept.
    const ex = example(SPEC, [{ name: 'L', printed: 0.1, decimals: 1 }]);
    const { own } = openLink(ex) as { own?: { file: string; worked: { claims: unknown[] } } };
    expect(own?.file).toBe('evil.worked.json');
    expect(own?.worked.claims).toHaveLength(1);
  });
});
