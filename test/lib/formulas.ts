/**
 * The lectures' formulas, written out in plain JS, scalar by scalar, in the lectures' own notation.
 *
 * Nothing here calls the engine: each lecture's `vars` recomputes the forward pass of its fixture
 * from the lecture's scalar equations (in float64), and each formula is the lecture's printed formula
 * (`printed`), the corrected one where the lecture is wrong (`correct`), and other plausible readings of a
 * garbled formula (`readings`), keyed by the `id` of a formula claim in the lecture's .claims.json.
 *
 * A formula that names a quantity the net does not have (regression (8)/(9): w²22) evaluates to NaN:
 * it cannot be evaluated, which test/lib/claims.ts reports as `printedEvaluable: false`.
 */
import type { NetworkSpec } from '../../src/spec.ts';

export type Vars = Record<string, number>;
export type Formula = (v: Vars) => number;

export interface FormulaEntry {
  /** The formula as the lecture prints it. */
  printed: Formula;
  /** The right formula, where the printed one is wrong (the claim then has an `erratum`). */
  correct?: Formula;
  /** Other readings of the printed formula (e.g. of an OCR-garbled symbol); each must be wrong too. */
  readings?: Formula[];
}

export interface LectureFormulas {
  /** The lecture's variables for example `c` of the fixture, computed from its scalar equations. */
  vars(spec: NetworkSpec, c: number): Vars;
  formulas: Record<string, FormulaEntry>;
}

/** The logistic function, as the lectures write it: 1 / (1 + e^−z). */
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
const relu = (z: number): number => Math.max(0, z);
const reluPrime = (z: number): number => (z > 0 ? 1 : 0);

function W(spec: NetworkSpec, l: number, i: number, j: number): number {
  return spec.params!.W[l][i][j];
}
function b(spec: NetworkSpec, l: number, i: number): number {
  const bl = spec.params!.b[l];
  return typeof bl === 'number' ? bl : bl[i];
}
function row(rows: number[][] | undefined, c: number): number[] {
  if (!rows || !rows[c]) throw new Error(`the fixture has no example ${c}`);
  return rows[c];
}

/** Lecture 002: the 2-2-1 sigmoid net without biases; w_ij feeds unit i from input j. */
const nobias: LectureFormulas = {
  vars(spec, c) {
    const [x1, x2] = row(spec.x, c);
    const yt = row(spec.y, c)[0];
    const w11 = W(spec, 0, 0, 0), w12 = W(spec, 0, 0, 1), w21 = W(spec, 0, 1, 0), w22 = W(spec, 0, 1, 1);
    const w31 = W(spec, 1, 0, 0), w32 = W(spec, 1, 0, 1);
    const z1 = x1 * w11 + x2 * w12;
    const A1 = sigma(z1);
    const z2 = x1 * w21 + x2 * w22;
    const A2 = sigma(z2);
    const z3 = A1 * w31 + A2 * w32;
    const A3 = sigma(z3);
    return { x1, x2, yt, w11, w12, w21, w22, w31, w32, z1, A1, z2, A2, z3, A3 };
  },
  formulas: {
    z1: { printed: (v) => v.x1 * v.w11 + v.x2 * v.w12 },
    A1: { printed: (v) => 1 / (1 + Math.exp(-v.z1)) },
    z2: { printed: (v) => v.x1 * v.w21 + v.x2 * v.w22 },
    A2: { printed: (v) => 1 / (1 + Math.exp(-v.z2)) },
    z3: { printed: (v) => v.A1 * v.w31 + v.A2 * v.w32 },
    A3: { printed: (v) => 1 / (1 + Math.exp(-v.z3)) },
    E: { printed: (v) => 0.5 * (v.A3 - v.yt) ** 2 },
    dE_dA3: { printed: (v) => v.A3 - v.yt },
    dA3_dz3: { printed: (v) => v.A3 * (1 - v.A3) },
    dE_dw31: { printed: (v) => (v.A3 - v.yt) * (v.A3 * (1 - v.A3)) * v.A1 },
    dE_dw32: { printed: (v) => (v.A3 - v.yt) * (v.A3 * (1 - v.A3)) * v.A2 },
    // [∂E/∂w31; ∂E/∂w32] = [[d, 0], [0, d]] · [A1; A2], d = (A3 − y_t)(A3(1 − A3)): evaluated as the matrix product.
    matrix_w31: { printed: (v) => matVec(diag2((v.A3 - v.yt) * (v.A3 * (1 - v.A3))), [v.A1, v.A2])[0] },
    matrix_w32: { printed: (v) => matVec(diag2((v.A3 - v.yt) * (v.A3 * (1 - v.A3))), [v.A1, v.A2])[1] },
    dE_dw11: { printed: (v) => (v.A3 - v.yt) * (v.A3 * (1 - v.A3)) * v.w31 * v.A1 * (1 - v.A1) * v.x1 },
    dE_dw21: { printed: (v) => (v.A3 - v.yt) * (v.A3 * (1 - v.A3)) * v.w32 * v.A2 * (1 - v.A2) * v.x1 },
    dE_dw12: { printed: (v) => (v.A3 - v.yt) * (v.A3 * (1 - v.A3)) * v.w31 * v.A1 * (1 - v.A1) * v.x2 },
    // Printed with y_k, a typo for y_t (there is no y_k): evaluated with y_k = y_t.
    dE_dw22: { printed: (v) => { const yk = v.yt; return (v.A3 - yk) * (v.A3 * (1 - v.A3)) * v.w32 * v.A2 * (1 - v.A2) * v.x2; } },
  },
};

function diag2(d: number): number[][] {
  return [[d, 0], [0, d]];
}
function matVec(m: number[][], x: number[]): number[] {
  return m.map((r) => r.reduce((s, mij, j) => s + mij * x[j], 0));
}

/**
 * Lecture 003. From-to notation: w¹_jk from input j to hidden unit k, w²_k1 from hidden unit k to the output.
 * o11 = w¹11·CGPA + w¹21·IQ + b11, o12 = w¹12·CGPA + w¹22·IQ + b12, ŷ = w²11·O11 + w²21·O12 + b21.
 */
function lecture003Weights(spec: NetworkSpec, c: number): Vars {
  const [CGPA, IQ] = row(spec.x, c);
  const y = row(spec.y, c)[0];
  return {
    CGPA, IQ, y,
    w1_11: W(spec, 0, 0, 0), w1_21: W(spec, 0, 0, 1), w1_12: W(spec, 0, 1, 0), w1_22: W(spec, 0, 1, 1),
    b11: b(spec, 0, 0), b12: b(spec, 0, 1),
    w2_11: W(spec, 1, 0, 0), w2_21: W(spec, 1, 0, 1), b21: b(spec, 1, 0),
  };
}

const regression: LectureFormulas = {
  vars(spec, c) {
    const v = lecture003Weights(spec, c);
    const O11 = v.w1_11 * v.CGPA + v.w1_21 * v.IQ + v.b11;
    const O12 = v.w1_12 * v.CGPA + v.w1_22 * v.IQ + v.b12;
    const yhat = v.w2_11 * O11 + v.w2_21 * O12 + v.b21;
    // No w2_22: the output layer has one unit. A formula that uses it reads undefined → NaN.
    return { ...v, O11, O12, yhat };
  },
  formulas: {
    yhat: { printed: (v) => v.w2_11 * v.O11 + v.w2_21 * v.O12 + v.b21 },
    L: { printed: (v) => 0.5 * (v.y - v.yhat) ** 2 },
    dL_dyhat: { printed: (v) => -(v.y - v.yhat) },
    eq1: { printed: (v) => -(v.y - v.yhat) * v.O11 },
    eq2: { printed: (v) => -(v.y - v.yhat) * v.O12 },
    eq3: { printed: (v) => -(v.y - v.yhat) },
    eq4: { printed: (v) => -(v.y - v.yhat) * v.w2_11 * v.CGPA },
    eq5: { printed: (v) => -(v.y - v.yhat) * v.w2_11 * v.IQ },
    eq6: { printed: (v) => -(v.y - v.yhat) * v.w2_11 },
    eq7: { printed: (v) => -(v.y - v.yhat) * v.w2_21 * v.CGPA },
    eq8: {
      printed: (v) => -(v.y - v.yhat) * v.w2_22 * v.IQ,
      readings: [(v) => -(v.y - v.yhat) * v.w1_22 * v.IQ],
      correct: (v) => -(v.y - v.yhat) * v.w2_21 * v.IQ,
    },
    eq9: {
      printed: (v) => -(v.y - v.yhat) * v.w2_22,
      readings: [(v) => -(v.y - v.yhat) * v.w1_22],
      correct: (v) => -(v.y - v.yhat) * v.w2_21,
    },
  },
};

const classification: LectureFormulas = {
  vars(spec, c) {
    const v = lecture003Weights(spec, c);
    const z11 = v.w1_11 * v.CGPA + v.w1_21 * v.IQ + v.b11;
    const z12 = v.w1_12 * v.CGPA + v.w1_22 * v.IQ + v.b12;
    const o11 = sigma(z11);
    const o12 = sigma(z12);
    const z21 = v.w2_11 * o11 + v.w2_21 * o12 + v.b21;
    const yhat = sigma(z21);
    return { ...v, z11, z12, o11, o12, z21, yhat };
  },
  formulas: {
    yhat: { printed: (v) => sigma(v.w2_11 * v.o11 + v.w2_21 * v.o12 + v.b21) },
    // L = −y log ŷ + (1 − y) log(1 − ŷ) as printed; coincides with BCE when y = 1.
    L_y1: { printed: (v) => -v.y * Math.log(v.yhat) + (1 - v.y) * Math.log(1 - v.yhat) },
    L_y0: {
      printed: (v) => -v.y * Math.log(v.yhat) + (1 - v.y) * Math.log(1 - v.yhat),
      correct: (v) => -v.y * Math.log(v.yhat) - (1 - v.y) * Math.log(1 - v.yhat),
    },
    dL_dyhat: {
      printed: (v) => -(v.yhat - v.y) / (v.yhat * (1 - v.yhat)),
      correct: (v) => (v.yhat - v.y) / (v.yhat * (1 - v.yhat)),
    },
    dyhat_dz: {
      printed: (v) => sigma(v.z21) - (1 - sigma(v.z21)),
      correct: (v) => sigma(v.z21) * (1 - sigma(v.z21)),
    },
    eq1: { printed: (v) => -(v.yhat - v.y) * v.o11, correct: (v) => (v.yhat - v.y) * v.o11 },
    eq2: { printed: (v) => -(v.yhat - v.y) * v.o12, correct: (v) => (v.yhat - v.y) * v.o12 },
    eq3: {
      printed: (v) => -(v.yhat - v.yhat),
      readings: [(v) => -(v.yhat - v.y)],
      correct: (v) => v.yhat - v.y,
    },
    eq4: {
      printed: (v) => -(v.yhat - v.yhat) * v.w2_11 * v.o11 * (1 - v.o11) * v.CGPA,
      readings: [(v) => -(v.yhat - v.y) * v.w2_11 * v.o11 * (1 - v.o11) * v.CGPA],
      correct: (v) => (v.yhat - v.y) * v.w2_11 * v.o11 * (1 - v.o11) * v.CGPA,
    },
    eq5: {
      printed: (v) => -(v.yhat - v.yhat) * v.w2_11 * v.o11 * (1 - v.o11) * v.IQ,
      readings: [(v) => -(v.yhat - v.y) * v.w2_11 * v.o11 * (1 - v.o11) * v.IQ],
      correct: (v) => (v.yhat - v.y) * v.w2_11 * v.o11 * (1 - v.o11) * v.IQ,
    },
    eq6: {
      printed: (v) => -(v.yhat - v.yhat) * v.o11 * (1 - v.o11),
      readings: [(v) => -(v.yhat - v.y) * v.o11 * (1 - v.o11)],
      correct: (v) => (v.yhat - v.y) * v.w2_11 * v.o11 * (1 - v.o11),
    },
    eq7: {
      printed: (v) => -(v.yhat - v.yhat) * v.w2_21 * v.o12 * (1 - v.o12) * v.CGPA,
      readings: [(v) => -(v.yhat - v.y) * v.w2_21 * v.o12 * (1 - v.o12) * v.CGPA],
      correct: (v) => (v.yhat - v.y) * v.w2_21 * v.o12 * (1 - v.o12) * v.CGPA,
    },
    eq8: {
      printed: (v) => -(v.yhat - v.yhat) * v.w2_21 * v.o12 * (1 - v.o12) * v.IQ,
      readings: [(v) => -(v.yhat - v.y) * v.w2_21 * v.o12 * (1 - v.o12) * v.IQ],
      correct: (v) => (v.yhat - v.y) * v.w2_21 * v.o12 * (1 - v.o12) * v.IQ,
    },
    eq9: {
      printed: (v) => -(v.yhat - v.yhat) * v.w2_21 * v.o12 * (1 - v.o12),
      readings: [(v) => -(v.yhat - v.y) * v.w2_21 * v.o12 * (1 - v.o12)],
      correct: (v) => (v.yhat - v.y) * v.w2_21 * v.o12 * (1 - v.o12),
    },
  },
};

/**
 * Lecture 004's exercise: h = relu(W1·x), z = v1·h1 + v2·h2 (linear), J = 1/(2N) Σ (t − z)², N = 1.
 * ∂J/∂W1[i][j] = (1/N) Σ −(t − z)·v_i·relu'(z_hi)·x_j; in matrix notation δ2 = −(t − z),
 * δ1 = (W2ᵀ·δ2) ⊙ relu'(z1), ∂J/∂W1 = (1/N)·δ1·xᵀ.
 */
const reluExercise: LectureFormulas = {
  vars(spec, c) {
    const [x1, x2] = row(spec.x, c);
    const t = row(spec.y, c)[0];
    const W1 = [[W(spec, 0, 0, 0), W(spec, 0, 0, 1)], [W(spec, 0, 1, 0), W(spec, 0, 1, 1)]];
    const v1 = W(spec, 1, 0, 0), v2 = W(spec, 1, 0, 1);
    const zh1 = W1[0][0] * x1 + W1[0][1] * x2;
    const zh2 = W1[1][0] * x1 + W1[1][1] * x2;
    const h1 = relu(zh1), h2 = relu(zh2);
    const z = v1 * h1 + v2 * h2;
    return { x1, x2, t, v1, v2, zh1, zh2, h1, h2, z, N: 1 };
  },
  formulas: {
    dJ_dW1_00: { printed: (v) => (-(v.t - v.z) * v.v1 * reluPrime(v.zh1) * v.x1) / v.N },
    dJ_dW1_01: { printed: (v) => (-(v.t - v.z) * v.v1 * reluPrime(v.zh1) * v.x2) / v.N },
    dJ_dW1_10: { printed: (v) => (-(v.t - v.z) * v.v2 * reluPrime(v.zh2) * v.x1) / v.N },
    dJ_dW1_11: { printed: (v) => (-(v.t - v.z) * v.v2 * reluPrime(v.zh2) * v.x2) / v.N },
    matrix_00: { printed: (v) => reluMatrixGrad(v)[0][0] },
    matrix_01: { printed: (v) => reluMatrixGrad(v)[0][1] },
    matrix_10: { printed: (v) => reluMatrixGrad(v)[1][0] },
    matrix_11: { printed: (v) => reluMatrixGrad(v)[1][1] },
    delta1_0: { printed: (v) => reluDelta1(v)[0] },
    delta1_1: { printed: (v) => reluDelta1(v)[1] },
  },
};

function reluDelta1(v: Vars): number[] {
  const delta2 = -(v.t - v.z); // ∂[½(t − z)²]/∂z, times f'(z) = 1 (linear output)
  const W2T = [[v.v1], [v.v2]]; // (2 × 1)
  const back = matVec(W2T, [delta2]);
  return [back[0] * reluPrime(v.zh1), back[1] * reluPrime(v.zh2)];
}

function reluMatrixGrad(v: Vars): number[][] {
  const d1 = reluDelta1(v);
  const x = [v.x1, v.x2];
  return d1.map((di) => x.map((xj) => (di * xj) / v.N)); // δ1·xᵀ / N
}

/** By fixture id (the spec file name without .json). Lectures 000 and 001 print numbers, not formulas. */
export const LECTURE_FORMULAS: Record<string, LectureFormulas> = {
  'lecture-2-2-1-nobias': nobias,
  'lecture-regression': regression,
  'lecture-classification': classification,
  'lecture-relu-exercise': reluExercise,
};
