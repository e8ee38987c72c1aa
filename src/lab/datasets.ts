/**
 * Seeded 2-D toy data sets for classification, in the spirit of TensorFlow Playground: xor, circle, moons,
 * spiral (two classes, one output: y = [0] or [1]), and blobs, three spirals and five blobs (3 and 5 classes, one-hot
 * y for softmax).
 * Points lie in roughly [−1, 1]², so small tanh/sigmoid nets train at lr ≈ 0.1–1.
 *
 * Rows are examples, as in a NetworkSpec (x[c] = [x1, x2]). Labels alternate (example c has class c mod K), so
 * every class gets ⌊n/K⌋ or ⌈n/K⌉ examples and any prefix of the set is balanced too.
 */
import { gaussian, mulberry32 } from '../init.ts';

export type Dataset2DKind = 'xor' | 'circle' | 'moons' | 'spiral' | 'spirals3' | 'blobs' | 'blobs5';

export interface Dataset2D {
  kind: Dataset2DKind;
  /** One row [x1, x2] per example. */
  x: number[][];
  /** One row per example: [0] / [1] for the binary sets, one-hot [1, 0, 0] … for blobs. */
  y: number[][];
  classes: number;
  /** The class index of each example. */
  labels: number[];
}

export const DATASETS_2D: readonly { kind: Dataset2DKind; title: string; classes: number }[] = [
  { kind: 'xor', title: 'XOR (quadrants)', classes: 2 },
  { kind: 'circle', title: 'Circle in a ring', classes: 2 },
  { kind: 'moons', title: 'Two moons', classes: 2 },
  { kind: 'spiral', title: 'Two spirals', classes: 2 },
  { kind: 'blobs', title: 'Three blobs', classes: 3 },
  { kind: 'spirals3', title: 'Three spirals', classes: 3 },
  { kind: 'blobs5', title: 'Five blobs', classes: 5 },
];

/** Default noise: the standard deviation of the Gaussian jitter added to each coordinate. */
const DEFAULT_NOISE: Readonly<Record<Dataset2DKind, number>> = {
  xor: 0.08,
  circle: 0.06,
  moons: 0.08,
  spiral: 0.03,
  spirals3: 0.03,
  blobs: 0.18,
  blobs5: 0.12,
};

type Rand = () => number;
type Point = [number, number];

/** A point of class `label` (of `classes`) before jitter. */
type Sampler = (label: number, rand: Rand, classes: number) => Point;

/** Quadrants: class 0 where x1·x2 > 0, class 1 where x1·x2 < 0; |xi| ∈ [0.15, 0.95] keeps clear of the axes. */
const xorPoint: Sampler = (label, rand) => {
  const a = 0.15 + 0.8 * rand();
  const b = 0.15 + 0.8 * rand();
  const s = rand() < 0.5 ? 1 : -1;
  return label === 0 ? [s * a, s * b] : [s * a, -s * b];
};

/** Class 0 inside radius 0.5 (uniform over the disc), class 1 in the ring 0.7 … 1.0. */
const circlePoint: Sampler = (label, rand) => {
  const angle = 2 * Math.PI * rand();
  const r = label === 0 ? 0.5 * Math.sqrt(rand()) : Math.sqrt(0.49 + 0.51 * rand());
  return [r * Math.cos(angle), r * Math.sin(angle)];
};

/**
 * sklearn's make_moons (outer arc (cos t, sin t), inner arc (1 − cos t, 0.5 − sin t), t ∈ [0, π]), mapped from
 * [−1, 2] × [−0.5, 1] to [−1, 1] × [−0.5, 0.5] by one scale (shapes keep their proportions).
 */
const moonsPoint: Sampler = (label, rand) => {
  const t = Math.PI * rand();
  const [u, v] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  return [(u - 0.5) / 1.5, (v - 0.25) / 1.5];
};

/**
 * K interleaved arms: radius t, angle 1.75 turns · t, arm k rotated by 2πk/K (two arms: TensorFlow Playground's
 * spiral, the second arm rotated by π). Three arms turn 1.25 times, so that neighbouring arms stay apart.
 */
const spiralPoint: Sampler = (label, rand, classes) => {
  const t = rand();
  const turns = classes === 2 ? 1.75 : 1.25;
  const angle = turns * 2 * Math.PI * t + (label * 2 * Math.PI) / classes;
  return [t * Math.cos(angle), t * Math.sin(angle)];
};

/** K blob centres evenly on a circle of radius 0.55, the first at 90° (three blobs: 90°, 210°, 330°). */
const blobsPoint: Sampler = (label, _rand, classes) => {
  const angle = Math.PI / 2 + (label * 2 * Math.PI) / classes;
  return [0.55 * Math.cos(angle), 0.55 * Math.sin(angle)];
};

const SAMPLERS: Record<Dataset2DKind, Sampler> = {
  xor: xorPoint,
  circle: circlePoint,
  moons: moonsPoint,
  spiral: spiralPoint,
  spirals3: spiralPoint,
  blobs: blobsPoint,
  blobs5: blobsPoint,
};

/** The target row for a label: one output (0 / 1) for two classes, one-hot otherwise. */
function target(label: number, classes: number): number[] {
  if (classes === 2) return [label];
  const row = new Array<number>(classes).fill(0);
  row[label] = 1;
  return row;
}

/** The classic XOR truth table on {0, 1}², without noise: what `generate2D('xor', 4, …)` returns. */
function xorTruthTable(): Dataset2D {
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const labels = x.map(([a, b]) => a ^ b);
  return { kind: 'xor', x, y: labels.map((l) => [l]), classes: 2, labels };
}

/**
 * n examples of `kind`, deterministic for `seed` (mulberry32). `noise` is the standard deviation of the Gaussian
 * jitter added to both coordinates (default DEFAULT_NOISE[kind]; 0 gives the clean shapes).
 * 'xor' with n = 4 is the exact truth table on {0, 1}² (seed and noise ignored).
 */
export function generate2D(kind: Dataset2DKind, n: number, seed: number, noise?: number): Dataset2D {
  const info = DATASETS_2D.find((d) => d.kind === kind);
  if (!info) throw new RangeError(`unknown data set '${String(kind)}'; known: ${DATASETS_2D.map((d) => d.kind).join(', ')}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const sd = noise ?? DEFAULT_NOISE[kind];
  if (!Number.isFinite(sd) || sd < 0) throw new RangeError(`noise must be a finite number ≥ 0, got ${noise}`);
  if (kind === 'xor' && n === 4) return xorTruthTable();

  const rand = mulberry32(seed);
  const sample = SAMPLERS[kind];
  const x: number[][] = [];
  const y: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < n; c++) {
    const label = c % info.classes;
    const [a, b] = sample(label, rand, info.classes);
    // NOTE: always draw both jitters (even at noise 0) so the point sequence does not depend on the noise level.
    const ja = gaussian(rand);
    const jb = gaussian(rand);
    x.push([a + sd * ja, b + sd * jb]);
    y.push(target(label, info.classes));
    labels.push(label);
  }
  return { kind, x, y, classes: info.classes, labels };
}

/**
 * The inputs of a cols × rows grid of cell centres over extent [xmin, xmax, ymin, ymax], in engine layout:
 * a (2 × cols·rows) row-major matrix, X[0·N + p] = x1 and X[1·N + p] = x2 of pixel p = row·cols + col.
 * Pixels go in image order: row 0 is the TOP of the picture (x2 = ymax side), col 0 the left (x1 = xmin side).
 */
export function gridInputs(extent: [number, number, number, number], cols: number, rows: number): Float32Array {
  const [xmin, xmax, ymin, ymax] = extent;
  const N = cols * rows;
  const X = new Float32Array(2 * N);
  for (let r = 0; r < rows; r++) {
    const x2 = ymax - ((r + 0.5) / rows) * (ymax - ymin);
    for (let c = 0; c < cols; c++) {
      const p = r * cols + c;
      X[p] = xmin + ((c + 0.5) / cols) * (xmax - xmin);
      X[N + p] = x2;
    }
  }
  return X;
}
