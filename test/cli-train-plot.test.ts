/**
 * `train --plot` where the fit fails part way (src/cli/train.ts): the learning curves of the epochs it finished are
 * written and the run says so, then the fit's error is reported as ever; with no epoch finished, no file. In-process
 * (runTrain), on the CPU: a 1-1 linear net under SGD at lr 1e30 diverges at a known epoch.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runTrain } from '../src/cli/train.ts';
import { DivergedError } from '../src/errors.ts';
import type { NetworkSpec } from '../src/spec.ts';

// learningCurvesSvg as it is, unless a test asks it to fail (a fault in drawing the plot after a failed fit).
const drawing = vi.hoisted(() => ({ fails: false }));
vi.mock('../src/cli/plot.ts', async (original) => {
  const real = await original<typeof import('../src/cli/plot.ts')>();
  return {
    ...real,
    learningCurvesSvg: (...a: Parameters<typeof real.learningCurvesSvg>) => {
      if (drawing.fails) throw new Error('stand-in: the plot could not be drawn');
      return real.learningCurvesSvg(...a);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'backprop-train-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One linear unit, W = 0.5, b = 0, on x = 1, 2 (y = x), mse, SGD lr 1e30. At batchSize 2 (one step an epoch) epoch 1's
 * loss is taken before its update ((0.5² + 1²)/2 / 2 = 0.3125), finite; the update leaves W near 1e30 (finite in
 * float32), so epoch 2's loss is Infinity: one epoch done. At batchSize 1 the second step of epoch 1 already is.
 */
const diverging = (batchSize: number): NetworkSpec => ({
  name: 'div', inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse',
  params: { W: [[[0.5]]], b: [[0]] }, x: [[1], [2]], y: [[1], [2]], batchSize, epochs: 5, optimizer: { name: 'sgd', lr: 1e30 },
});

async function train(spec: NetworkSpec, plot: string, json = false, onProgress?: (line: string) => void) {
  const out: string[] = [];
  const progress: string[] = [];
  const err = await runTrain(spec, { plot, json }, (s) => out.push(s), (s) => {
    progress.push(s);
    onProgress?.(s);
  }).then(() => undefined, (e: unknown) => e);
  return { err, out, progress };
}

describe('train --plot where the fit fails part way', () => {
  it('writes the curves of the epochs done, says so, and still fails with the fit\'s error', async () => {
    const plot = join(dir, 'one.svg');
    const r = await train(diverging(2), plot);
    expect(r.err).toBeInstanceOf(DivergedError);
    expect((r.err as DivergedError).message).toMatch(/the loss is Infinity \(in epoch 2\)/);
    expect(r.out).toContain(`learning curves of the 1 epoch done before the fit failed written to ${plot} (SVG)`);
    const svg = readFileSync(plot, 'utf8');
    // The title's lines: the run, the backend line, and what the curves are.
    expect(svg).toContain('<title>learning curves — div: 1-1 net, mse, sgd lr 1e30 — backend: CPU (in Node) — (the 1 epoch done before the fit failed)</title>');
    // Epoch 1, drawn as a point (one epoch), labelled 1 on the x axis; no epoch 2.
    expect(svg).toMatch(/>1<\/text>/);
    expect(svg).not.toMatch(/>2<\/text>/);
    expect(svg).toMatch(/<circle /);
  });

  it('under --json the line goes with the progress (stderr), and stdout has nothing', async () => {
    const plot = join(dir, 'json.svg');
    const r = await train(diverging(2), plot, true);
    expect(r.err).toBeInstanceOf(DivergedError);
    expect(r.out).toEqual([]);
    expect(r.progress).toContain(`learning curves of the 1 epoch done before the fit failed written to ${plot} (SVG)`);
    expect(existsSync(plot)).toBe(true);
  });

  it('a plot that cannot be written after all (its folder removed during the fit): said, and the fit\'s error kept', async () => {
    const gone = mkdtempSync(join(dir, 'gone-'));
    const plot = join(gone, 'curves.svg');
    // checkWritable passed before the fit; epoch 1's progress line (on stderr under --json) removes the folder, so the
    // write after the failure fails.
    const r = await train(diverging(2), plot, true, (line) => {
      if (/^epoch\s+1\//.test(line.trim())) rmSync(gone, { recursive: true, force: true });
    });
    expect(r.err).toBeInstanceOf(DivergedError);
    expect(r.progress).toContain(`--plot ${plot}: cannot write the plot of the 1 epoch done before the fit failed (ENOENT)`);
    expect(r.out).toEqual([]);
    expect(existsSync(plot)).toBe(false);
  });

  it('a plot that cannot be drawn after a failed fit: said, and the fit\'s error kept', async () => {
    const plot = join(dir, 'undrawn.svg');
    drawing.fails = true;
    try {
      const r = await train(diverging(2), plot);
      expect(r.err).toBeInstanceOf(DivergedError);
      expect(r.out).toContain(`--plot ${plot}: cannot draw the plot of the 1 epoch done before the fit failed (stand-in: the plot could not be drawn)`);
      expect(existsSync(plot)).toBe(false);
    } finally {
      drawing.fails = false;
    }
  });

  it('no epoch done: no file, and the run says why', async () => {
    const plot = join(dir, 'none.svg');
    const r = await train(diverging(1), plot);
    expect((r.err as DivergedError).message).toMatch(/the loss is Infinity \(in epoch 1\)/);
    expect(r.out).toContain(`no learning curves written to ${plot}: the fit failed before its first epoch ended`);
    expect(existsSync(plot)).toBe(false);
  });
});
