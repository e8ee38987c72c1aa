/**
 * The order of epoch `epoch` as README §Training on data: fit states it (written from that text, not from
 * src/train/fit.ts): mulberry32 (the init generator) seeded with (imul(seed, 0x9e3779b1) ^ imul(epoch + 1,
 * 0x85ebca6b)) >>> 0, then a Fisher–Yates shuffle from the top: for i = n−1 … 1, swap order[i] and order[⌊rand()·(i+1)⌋].
 */
import { mulberry32 } from '../../src/init.ts';

export function readmeOrder(n: number, seed: number, epoch: number): number[] {
  const rand = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
  const order = Array.from({ length: n }, (_, c) => c);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
