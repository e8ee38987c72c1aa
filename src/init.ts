/**
 * Seeded parameter initialisation, run once on the CPU so that every backend starts from identical weights.
 * Biases start at 0. The generator is mulberry32: small, fast and the same in every JS engine.
 */
import type { InitScheme, Net, Params } from './spec.ts';
import { INIT_SCHEMES, biasLength } from './spec.ts';
import { integerIn, oneOf } from './checks.ts';
import { checkNet } from './engine-form.ts';

/** The seeds the generator takes: 32 bits (another would be reduced mod 2³², aliasing one of these). */
const SEED_NOTE = '2³² − 1; the generator takes 32 bits';

/**
 * A seeded generator of floats in [0, 1). `seed`: an integer 0 … 2³² − 1 (else a SpecError naming `seed`).
 * @throws {SpecError} naming `seed` when it is not an integer 0 … 2³² − 1.
 */
export function mulberry32(seed: number): () => number {
  let s = integerIn(seed, 'seed', 0, 0xffffffff, SEED_NOTE);
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample from two uniforms (Box–Muller). */
export function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]: log(u) is finite
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * W and b of `net` drawn from `seed` by `scheme` (b starts at 0), as a spec's `init` draws them:
 * - xavier: W ~ U(−r, r), r = √(6 / (fanIn + fanOut))   (Glorot & Bengio 2010)
 * - he:     W ~ N(0, 2 / fanIn)                          (He et al. 2015)
 * - uniform: W ~ U(−0.5, 0.5)
 * @throws {SpecError} naming `net.…` (not a net: each layer's `fanIn` the units below it), `scheme` or `seed` (an integer 0 … 2³² − 1).
 */
export function initParams(given: Net, scheme: InitScheme, seed: number): Params {
  const net = checkNet(given);
  oneOf(scheme, INIT_SCHEMES, 'scheme');
  const rand = mulberry32(seed);
  const W = net.layers.map((layer) => {
    const w = new Float32Array(layer.units * layer.fanIn);
    for (let k = 0; k < w.length; k++) {
      if (scheme === 'xavier') {
        const r = Math.sqrt(6 / (layer.fanIn + layer.units));
        w[k] = (2 * rand() - 1) * r;
      } else if (scheme === 'he') {
        w[k] = gaussian(rand) * Math.sqrt(2 / layer.fanIn);
      } else {
        w[k] = rand() - 0.5;
      }
    }
    return w;
  });
  const b = net.layers.map((layer) => new Float32Array(biasLength(layer)));
  return { W, b };
}
