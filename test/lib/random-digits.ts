import { mulberry32 } from '../../src/init.ts';

/**
 * `n` digit-shaped examples for config e's fit loops (bench/fit-systems.ts): random pixels in [0, 1) and one-hot
 * labels from the seeded generator — a problem with no meaning, which is all the loops need.
 */
export function randomDigits(n: number, seed: number): { n: number; X: Float32Array; Y: Float32Array } {
  const rand = mulberry32(seed);
  const X = Float32Array.from({ length: n * 784 }, () => rand());
  const Y = new Float32Array(n * 10);
  for (let k = 0; k < n; k++) Y[k * 10 + Math.floor(rand() * 10)] = 1;
  return { n, X, Y };
}
