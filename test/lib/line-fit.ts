/**
 * The one-unit line the fit and checkpoint tests train (test/fit-run-defaults, fit-stop-kept, checkpoint-run-fields):
 * a 1-1 identity unit under mse, six examples (x, y), the start W0, B0 and the learning rate — small enough that a
 * float64 reference of every SGD step is a few lines, written from README's mse equations in each test.
 */
export const KINDS = ['cpu', 'wasm'] as const;

export const XS = [1, -2, 0.5, 3, -1, 2];
export const YS = [2, 1, -1, 0.5, 3, -2];
export const W0 = 0.25;
export const B0 = -0.5;
export const LR = 0.05;
