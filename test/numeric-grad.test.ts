/**
 * The numerical gradient check (src/notation/numeric.ts; grad --numeric, explain --numeric): the centred difference
 * (L(p + h) − L(p − h)) / 2h of the float64 loss against the lecture's hand-worked ∂L/∂w5, against losses worked by
 * hand here, a relu kink flagged, the CLI's table, --json and exit codes, and typed errors before any work. A backend
 * whose dW has a sign wrong (the CLI's modelGrad wrapped) makes the check say ✗ and exit 1.
 *
 * Bounds: with h = 1e-5 the difference is off L′ by h²·|L‴|/6 (≤ 2e-11 for these nets, |L‴| ≤ 1) plus the float64
 * rounding of L(p ± h) magnified by 1/2h, ~ε·|L|/h ≈ 1.1e-16 · 1 / 1e-5 ≈ 1e-11: 1e-9 is ~50× that. Against a backend's
 * float32 dW the bound is explain's float32 one, 1e-6 + 1e-5·Σ|path products| (≤ 2e-6 for w5).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LimitError, NotationError } from '../src/errors.ts';
import { lecture, LECTURES } from '../src/lectures/index.ts';
import { explain } from '../src/notation/explain.ts';
import { GRAD_CHECK_REL, gradCheck, numericGrad } from '../src/notation/numeric.ts';

const state = { flipW5: false, grads: 0 };
vi.mock('../src/cli/in-node.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/cli/in-node.ts')>();
  return {
    ...m,
    // A backward pass with a sign wrong in the chain: ∂L/∂w5 (dW₂[0][0]) negated.
    modelGrad: async (...args: Parameters<typeof m.modelGrad>) => {
      state.grads++;
      const g = await m.modelGrad(...args);
      if (state.flipW5) g.dW[1][0] = -g.dW[1][0];
      return g;
    },
  };
});
const { mainRun } = await import('./lib/main-run.ts');
const { modelGrad } = await import('../src/cli/in-node.ts');

const dir = mkdtempSync(join(tmpdir(), 'backprop-numeric-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const specFile = (spec: unknown): string => {
  const f = join(dir, `spec-${files++}.json`);
  writeFileSync(f, JSON.stringify(spec));
  return f;
};

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await mainRun(args);
  return { status: r.status, stdout: r.out, stderr: r.err };
}

const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
const W5 = { kind: 'W', layer: 1, row: 0, col: 0 } as const;

const lectureSpec = lecture('lecture-2-2-1').worked.spec;
/** ∂L/∂w5 of lecture 001 by hand, in float64: (ŷ − y) · ŷ(1 − ŷ) · a_h1 from x = (0.05, 0.10), w1..w6, b1 = 0.35, b2 = 0.60. */
const handW5 = (() => {
  const aH1 = sigma(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
  const aH2 = sigma(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
  const yHat = sigma(0.4 * aH1 + 0.45 * aH2 + 0.6);
  return (yHat - 0.01) * yHat * (1 - yHat) * aH1;
})();
/** The lecture's printed ∂L/∂w5 (src/lectures/lecture-2-2-1.worked.json, line 98: "= 0.0822"). */
const printedW5 = lecture('lecture-2-2-1').worked.claims.find((c) => c.name === '∂L/∂w5' && 'printed' in c) as { printed: number; decimals: number };

/** A 1-1-1 relu net whose hidden z is exactly 0: w1 = 1, b1 = −1, x = 1; output identity, w2 = 2, b2 = 0, y = 1, mse sum. */
const kinkSpec = {
  inputs: 1, loss: 'mse', reduction: 'sum',
  layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'identity' }],
  params: { W: [[[1]], [[2]]], b: [[-1], [0]] }, x: [[1]], y: [[1]],
};

describe('numericGrad: the centred difference of the float64 loss', () => {
  it("lecture 001's ∂L/∂w5: the printed 0.0822, the value worked by hand, and the CPU's dW₂[0][0]", async () => {
    const n = numericGrad(lectureSpec, { params: [W5] });
    expect(n.h).toBe(1e-5);
    const v = n.entries[0].value;
    expect(Math.abs(v - printedW5.printed)).toBeLessThanOrEqual(0.5 * 10 ** -printedW5.decimals);
    expect(Math.abs(v - handW5)).toBeLessThanOrEqual(1e-9);
    const cpu = await modelGrad(lectureSpec, 'cpu');
    expect(Math.abs(v - cpu.dW[1][0])).toBeLessThanOrEqual(2e-6);
    const rows = gradCheck(n, cpu);
    expect(rows[0].status).toBe('ok');
    expect(rows[0].relErr).toBeLessThan(GRAD_CHECK_REL);
  });

  it.each(LECTURES.map((l) => [l.id, l] as const))("%s: every entry of the cpu and wasm backends' dW, db agrees (✓)", async (_, l) => {
    const n = numericGrad(l.worked.spec);
    for (const kind of ['cpu', 'wasm'] as const) {
      const rows = gradCheck(n, await modelGrad(l.worked.spec, kind));
      expect(rows.filter((r) => r.status !== 'ok').map((r) => `${kind} ${JSON.stringify(r)}`)).toEqual([]);
    }
  });

  it('bce summed over 3 examples, a shared bias and none; softmax-cross-entropy under tanh: every entry ✓ on cpu and wasm', async () => {
    // 2-2-1: W 2×2 + 1×2 = 6 entries, b₁ shared (1), b₂ none (0): 7 entries. 2-3-3: 6 + 9 W, 3 + 3 b: 21.
    const bce = { inputs: 2, loss: 'bce', reduction: 'sum', layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid', bias: 'none' }],
      params: { W: [[[0.1, 0.2], [0.3, -0.4]], [[0.7, -0.8]]], b: [[0.35], []] }, x: [[1, 2], [0.5, -1], [2, 2]], y: [[1], [0], [1]] };
    const softmax = { inputs: 2, loss: 'softmax-cross-entropy', layers: [{ units: 3, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
      params: { W: [[[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, 0.8, 0.9]]], b: [[0.1, 0.2, 0.3], [0, 0.1, -0.1]] },
      x: [[1, 2], [0.5, -1]], y: [[1, 0, 0], [0, 0, 1]] };
    for (const [spec, count] of [[bce, 7], [softmax, 21]] as const) {
      const n = numericGrad(spec);
      expect(n.entries).toHaveLength(count);
      for (const kind of ['cpu', 'wasm'] as const) {
        const rows = gradCheck(n, await modelGrad(spec, kind));
        expect(rows.filter((r) => r.status !== 'ok').map((r) => `${kind} ${JSON.stringify(r)}`)).toEqual([]);
      }
    }
  });

  it('an identity net, L(w ± h) = ½(3(w ± h) + b − y)² worked by hand; a sigmoid one, ½σ(w ± h)²', () => {
    // w = 2, b = 0.5, x = 3, y = 1: L(w ± h) = ½(5.5 ± 3h)², and the difference is 3·5.5 = 16.5 exactly (L is quadratic).
    const lin = { inputs: 1, loss: 'mse', reduction: 'sum', layers: [{ units: 1, activation: 'identity' }], params: { W: [[[2]]], b: [[0.5]] }, x: [[3]], y: [[1]] };
    const h = 1e-3;
    const [w, b] = numericGrad(lin, { h }).entries;
    expect(w.plus).toBeCloseTo(0.5 * (5.5 + 3 * h) ** 2, 12);
    expect(w.minus).toBeCloseTo(0.5 * (5.5 - 3 * h) ** 2, 12);
    expect(Math.abs(w.value - 16.5)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(b.value - 5.5)).toBeLessThanOrEqual(1e-9);
    // w = 1, b = 0, x = 1, y = 0: L(w) = ½σ(w)², L′(1) = σ(1)²(1 − σ(1)).
    const sig = { inputs: 1, loss: 'mse', reduction: 'mean', layers: [{ units: 1, activation: 'sigmoid' }], params: { W: [[[1]]], b: [[0]] }, x: [[1]], y: [[0]] };
    const [s] = numericGrad(sig).entries;
    expect(s.plus).toBe(0.5 * sigma(1 + 1e-5) ** 2);
    expect(s.minus).toBe(0.5 * sigma(1 - 1e-5) ** 2);
    expect(Math.abs(s.value - sigma(1) ** 2 * (1 - sigma(1)))).toBeLessThanOrEqual(1e-9);
  });

  it('a relu kink: w1 and b1 ± h move z across 0, so they are flagged and not judged; w2, b2 are not', async () => {
    const n = numericGrad(kinkSpec);
    const byPlace = new Map(n.entries.map((e) => [`${e.param.kind}${e.param.layer}`, e]));
    expect(byPlace.get('W0')!.kink).toEqual({ layer: 0, unit: 0, example: 0 });
    expect(byPlace.get('b0')!.kink).toEqual({ layer: 0, unit: 0, example: 0 });
    expect(byPlace.get('W1')!.kink).toBeUndefined();
    expect(byPlace.get('b1')!.kink).toBeUndefined();
    // By hand: z = +h gives ½(2h − 1)², z = −h gives ½; the difference is h − 1, the mean of the slopes −2 (z > 0) and 0.
    expect(Math.abs(byPlace.get('W0')!.value - (1e-5 - 1))).toBeLessThanOrEqual(1e-9);
    const rows = gradCheck(n, await modelGrad(kinkSpec, 'cpu'));
    expect(rows.map((r) => r.status)).toEqual(['kink', 'ok', 'kink', 'ok']); // W₁, W₂, b₁, b₂
    // 1e-3 from the kink, h = 1e-5 does not cross it.
    const near = numericGrad({ ...kinkSpec, params: { W: [[[1]], [[2]]], b: [[-1 + 1e-3], [0]] } });
    expect(near.entries.every((e) => e.kink === undefined)).toBe(true);
  });

  it('gradCheck: a sign wrong or 0.1 % off in the analytic side is ✗; the other entries stay ✓', async () => {
    const n = numericGrad(lectureSpec);
    const cpu = await modelGrad(lectureSpec, 'cpu');
    for (const factor of [-1, 1.001]) {
      const dW = cpu.dW.map((w) => Float32Array.from(w));
      dW[1][0] *= factor;
      const rows = gradCheck(n, { dW, db: cpu.db });
      expect(rows.filter((r) => r.status === 'bad').map((r) => r.param)).toEqual([W5]);
    }
  });

  it('h below an entry\'s float64 resolution (p + h or p − h rounds to p) is a NotationError naming h, not a difference of 0', () => {
    // w1 = 0.15, the first entry: its ulp is 2⁻⁵⁵ ≈ 2.8e-17, so 0.15 ± 1e-20 is 0.15 — the difference would be 0 (✗
    // against any dW, the backend blamed for the check's own step).
    expect(() => numericGrad(lectureSpec, { h: 1e-20 })).toThrow(expect.objectContaining({ name: 'NotationError', field: 'h', message: expect.stringMatching(/W₁\[0\]\[0\] = 0\.15/) }));
    expect(() => explain(lectureSpec, { param: 'w5', numeric: { h: 1e-20 } }, [], 'text')).toThrow(expect.objectContaining({ name: 'NotationError', field: 'numeric.h' }));
  });

  it('the divisor is the step float64 made, (p + h) − (p − h): w = 10⁶, h = 1e-10 (p ± h round to p ± 2⁻³³) on L = ½(w + b)², b = 1 − 10⁶', () => {
    // z = w + b = 1 exactly, L′(w) = z = 1; w ± h are w ± 2⁻³³ (the ulp of 10⁶ is 2⁻³³ ≈ 1.16e-10), a step 16 % past 2h.
    const big = { inputs: 1, loss: 'mse', reduction: 'sum', layers: [{ units: 1, activation: 'identity' }], params: { W: [[[1e6]]], b: [[1 - 1e6]] }, x: [[1]], y: [[0]] };
    const [w] = numericGrad(big, { h: 1e-10 }).entries;
    expect(Math.abs(w.value - 1)).toBeLessThanOrEqual(1e-6);
  });

  it('typed errors before any forward pass: h, an unknown option, an entry the net has not, too much work', () => {
    const bad = { inputs: 1 }; // not a spec: the option is refused first
    for (const h of [0, -1e-5, NaN, Infinity, '1e-5']) {
      expect(() => numericGrad(bad, { h: h as number })).toThrow(expect.objectContaining({ name: 'NotationError', field: 'h' }));
    }
    expect(() => numericGrad(bad, { hh: 1 } as object)).toThrow(expect.objectContaining({ field: 'options.hh' }));
    expect(() => numericGrad(lectureSpec, { params: [W5, { kind: 'W', layer: 1, row: 0, col: 2 }] })).toThrow(expect.objectContaining({ field: 'params[1]' }));
    const wide = { inputs: 784, loss: 'softmax-cross-entropy', layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], init: { scheme: 'he', seed: 1 }, x: [new Array(784).fill(0)], y: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]] };
    expect(() => numericGrad(wide)).toThrow(LimitError);
    expect(() => numericGrad(lectureSpec, { h: 0 })).toThrow(NotationError);
    // explain's option, checked with the others before the document is built.
    expect(() => explain(lectureSpec, { param: 'w5', numeric: { h: -1 } }, [], 'text')).toThrow(expect.objectContaining({ name: 'NotationError', field: 'numeric.h' }));
    expect(() => explain(lectureSpec, { param: 'w5', numeric: 1e-5 as never }, [], 'text')).toThrow(expect.objectContaining({ field: 'numeric' }));
    expect(() => explain(lectureSpec, { param: 'w5', numeric: { step: 1e-5 } as never }, [], 'text')).toThrow(expect.objectContaining({ field: 'numeric.step' }));
  });
});

describe('backprop grad --numeric, explain --numeric', () => {
  const file = specFile(lecture('lecture-2-2-1').worked);

  it('grad --numeric: a row per entry with the numeric value, the backend\'s, the relative error and ✓; exit 0', async () => {
    const r = await run(['grad', file, '--numeric', '--backend', 'wasm']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('h = 1e-5');
    const row = r.stdout.split('\n').find((l) => l.startsWith('W₂[0][0]'))!;
    expect(row).toMatch(/^W₂\[0\]\[0\]\s+w5\s+0\.08216\d+\s+0\.08216\d+\s+\d\.\de-\d+\s+✓$/);
    expect(r.stdout).toMatch(/✓ every judged entry agrees \(8 of 8, on wasm\)/);
  });

  it('--json: numeric {h, tolerance, loss, checks, failed} beside the backends\' results', async () => {
    const r = await run(['grad', file, '--numeric', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { grads: unknown; numeric: { h: number; tolerance: { rel: number; abs: number }; checks: { param: string; name: string; numeric: number; analytic: { cpu: number }; status: { cpu: string } }[]; failed: number } };
    expect(j.grads).toBeDefined();
    expect(j.numeric.h).toBe(1e-5);
    expect(j.numeric.tolerance).toEqual({ rel: 1e-4, abs: 1e-6 });
    expect(j.numeric.checks).toHaveLength(8);
    const w5 = j.numeric.checks.find((c) => c.name === 'w5')!;
    expect(w5.param).toBe('W₂[0][0]');
    expect(Math.abs(w5.numeric - handW5)).toBeLessThanOrEqual(1e-9);
    expect(w5.status).toEqual({ cpu: 'ok' });
    expect(j.numeric.failed).toBe(0);
  });

  it('a sign wrong in the backend\'s chain (∂L/∂w5 negated): ✗ in the row, on stderr, and exit 1', async () => {
    state.flipW5 = true;
    try {
      const r = await run(['grad', file, '--numeric']);
      expect(r.status).toBe(1);
      expect(r.stdout.split('\n').find((l) => l.startsWith('W₂[0][0]'))).toMatch(/2\.0e\+0\s+✗$/);
      expect(r.stdout.split('\n').find((l) => l.startsWith('W₂[0][1]'))).toMatch(/✓$/);
      expect(r.stderr).toMatch(/✗ 1 gradient entry disagrees with the numeric gradient \(exit status 1\):\n {2}W₂\[0\]\[0\] \(w5\) on cpu/);
      const j = await run(['grad', file, '--numeric', '--json']);
      expect(j.status).toBe(1);
      expect((JSON.parse(j.stdout) as { numeric: { failed: number } }).numeric.failed).toBe(1);
    } finally {
      state.flipW5 = false;
    }
  });

  it('a kink is marked and named, not ✗: exit 0', async () => {
    const r = await run(['grad', specFile(kinkSpec), '--numeric']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').find((l) => l.startsWith('W₁[0][0]'))).toMatch(/kink$/);
    expect(r.stdout).toContain('kink: 2 entries not judged — p ± h moves a relu z across 0 (W₁[0][0]: Z₁ unit 1, ex 1; b₁[0]: Z₁ unit 1, ex 1)');
  });

  it('explain --param w5 --numeric: one line under the chain, beside the scalar total', async () => {
    const r = await run(['explain', file, '--param', 'w5', '--numeric']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('scalar total, float64'));
    expect(lines[at + 1]).toMatch(/^ {2}numeric, float64: ∂L\/∂w5 ≈ \(L\(w5 \+ h\) − L\(w5 − h\)\) \/ 2h = 0\.08216704\d* \(h = 1e-5\); relative error to the scalar total \d\.\de-\d+ ✓$/);
    // Markdown and LaTeX carry it too (the library's explain).
    expect(explain(lectureSpec, { param: 'w5', numeric: {} }, [], 'md')).toMatch(/Numeric \(float64\): ∂L\/∂w5 ≈ .* = \*\*0\.08216704\d*\*\*/);
    expect(explain(lectureSpec, { param: 'w5', numeric: { h: 1e-4 } }, [], 'latex')).toContain('&\\approx \\frac{L(w_{5} + h) - L(w_{5} - h)}{2h} = 0.0821670');
  });

  it('explain --numeric in LaTeX: a value below 1e-4 and the relative error as × 10^{…}, not 1e-5 (KaTeX sets e-5 as e − 5)', () => {
    // L = ½(w·1 − 0)², w = 1e-5: L′ = w = 1e-5, and the centred difference of a quadratic is exact but for rounding.
    const tiny = { inputs: 1, loss: 'mse', layers: [{ units: 1, activation: 'identity' }], params: { W: [[[1e-5]]], b: [[0]] }, x: [[1]], y: [[0]] };
    const row = explain(tiny, { param: 'w1', numeric: {} }, [], 'latex').split('\n').find((l) => l.includes('\\approx'))!;
    expect(row).toMatch(/\{2h\} = (?:1\.000000000|9\.999999999) \\times 10\^\{-(?:5|6)\} \\quad/);
    expect(row).toMatch(/relative error to the scalar total \} \d\.\d \\times 10\^\{-?\d+\}\\ \\checkmark/);
    expect(row).not.toMatch(/\de[-+]\d/);
  });

  it('explain --numeric with an h far too large (1: truncation h²·L‴/6 dominates) says ✗ and exits 1, as a MISMATCH', async () => {
    const r = await run(['explain', file, '--param', 'w5', '--numeric', '--numeric-h', '1']);
    expect(r.stdout).toMatch(/numeric, float64: .* \(h = 1\); relative error to the scalar total \d\.\de-\d+ ✗/);
    expect(r.stderr).toMatch(/✗ 1 value\(s\) \(matrix or numeric\) disagree with the scalar engine \(exit status 1\):\n {2}w5: scalar 0\.0821670405\d*, numeric .* \(h = 1\)/);
    expect(r.status).toBe(1);
  });

  it('explain --numeric on a net whose check is over the work limit, and an h below float64\'s resolution: exit 2 before any backend runs, naming the flag', async () => {
    // 1000 inputs, 10 identity units, 1 example: 10 010 entries, each 2 passes of 10 010 multiply-adds (2.0e8 > 1e8),
    // while explain expands all of them (10 010 paths ≤ 20 000).
    const wide = { inputs: 1000, loss: 'mse', layers: [{ units: 10, activation: 'identity' }], init: { scheme: 'xavier', seed: 1 }, x: [new Array(1000).fill(0.5)], y: [new Array(10).fill(0)] };
    state.grads = 0;
    const r = await run(['explain', specFile(wide), '--numeric']);
    expect([r.status, r.stdout, state.grads]).toEqual([2, '', 0]);
    expect(r.stderr).toMatch(/^error \[LIMIT\] --numeric: the centred difference of 10010 entries/);
    expect(() => explain(wide, { numeric: {} }, [], 'text')).toThrow(expect.objectContaining({ name: 'LimitError', field: 'numeric' }));
    for (const command of ['grad', 'explain']) {
      const t = await run([command, file, '--numeric', '--numeric-h', '1e-20']);
      expect([t.status, t.stdout, state.grads]).toEqual([2, '', 0]);
      expect(t.stderr).toMatch(/^error \[NOTATION\] --numeric-h: is 1e-20, below the float64 resolution of W₁\[0\]\[0\] = 0\.15 /);
    }
  });

  it('usage and input errors before any work: --numeric-h ≤ 0 or alone, an unknown --param, a net too big', async () => {
    const missing = join(dir, 'no-such.json'); // the flag is refused before the file is read
    for (const args of [['--numeric', '--numeric-h', '0'], ['--numeric', '--numeric-h', '-1e-5'], ['--numeric-h', '1e-5']]) {
      const r = await run(['grad', missing, ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: --numeric-h /);
    }
    const p = await run(['explain', file, '--param', 'w9', '--numeric']);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--param/);
    expect(p.stdout).toBe('');
    const big = { inputs: 784, loss: 'softmax-cross-entropy', layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], init: { scheme: 'he', seed: 1 }, x: [new Array(784).fill(0)], y: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]] };
    const b = await run(['grad', specFile(big), '--numeric']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/^error \[LIMIT\] --numeric: the centred difference of 101770 entries/);
    expect(b.stdout).toBe(''); // no backend ran
    expect((await run(['explain', file, '--param', 'w5', '--numeric', '--numeric-h', '0'])).stderr).toMatch(/^error: --numeric-h must be > 0/);
  });
});
