/**
 * Lecture 001's 2-2-1 net (sigmoid, sigmoid, MSE, one shared bias per layer, one example), worked in float64 from
 * its scalar formulas (chain rule by hand), independent of the engine: the loss, every ∂L/∂w, ∂L/∂b, and the
 * lecture's numbers it starts from. Used by test/lectures.test.ts (the update) and test/browser/webgpu-smoke.test.ts
 * and test/browser/small-net.test.ts (the gradient on every kernel variant, the fused kernel).
 */
const sig = (z: number) => 1 / (1 + Math.exp(-z));

export function lecture221(): { x: number[]; y: number; W: number[][]; b: number[][]; loss: number; dW: number[][]; db: number[][] } {
  const [x1, x2] = [0.05, 0.1];
  const y = 0.01;
  const [w1, w2, w3, w4, w5, w6, b1, b2] = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.35, 0.6];
  const h1 = sig(x1 * w1 + x2 * w2 + b1);
  const h2 = sig(x1 * w3 + x2 * w4 + b1);
  const o = sig(h1 * w5 + h2 * w6 + b2);
  const dOut = (o - y) * o * (1 - o);
  const d1 = dOut * w5 * h1 * (1 - h1);
  const d2 = dOut * w6 * h2 * (1 - h2);
  return {
    x: [x1, x2], y, W: [[w1, w2, w3, w4], [w5, w6]], b: [[b1], [b2]],
    loss: 0.5 * (o - y) ** 2,
    dW: [[d1 * x1, d1 * x2, d2 * x1, d2 * x2], [dOut * h1, dOut * h2]],
    db: [[d1 + d2], [dOut]],
  };
}

/**
 * Where a backend's gradient of the lecture's net differs from lecture221() by more than `tol` (absolute): "dW[1][0]:
 * 0.08 vs 0.0821…" for each element, [] when it matches. NOTE: 1e-6 absolute: float32 rounding of these O(0.1–1)
 * values is ~1e-8; a wrong term moves them by ≥ 1e-4.
 */
export function lecture221Mismatches(g: { loss: number; dW: ArrayLike<number>[]; db: ArrayLike<number>[] }, tol = 1e-6): string[] {
  const want = lecture221();
  const out: string[] = [];
  const check = (what: string, got: ArrayLike<number>, expected: number[]): void => {
    if (got.length !== expected.length) out.push(`${what}: ${got.length} values, want ${expected.length}`);
    else expected.forEach((v, k) => { if (!(Math.abs(got[k] - v) <= tol)) out.push(`${what}[${k}]: ${got[k]} vs ${v}`); });
  };
  check('loss', [g.loss], [want.loss]);
  [0, 1].forEach((l) => { check(`dW[${l}]`, g.dW[l], want.dW[l]); check(`db[${l}]`, g.db[l], want.db[l]); });
  return out;
}
