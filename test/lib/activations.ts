/**
 * The activations the tests' net generators cycle through and their coverage checks walk: ACTIVATIONS (src/spec.ts)
 * less 'linear' (identity's alias) and 'softmax' (its loss's output only) — read from the spec's list, so an activation
 * added there is in every generated case list (random-nets, notation-nets, gradcheck, wasm-edges, the browser parity)
 * without a copy of the names here to update.
 */
import { ACTIVATIONS, type Activation } from '../../src/spec.ts';

export type Elementwise = Exclude<Activation, 'softmax'>;

export const ELEMENTWISE: readonly Elementwise[] = Object.freeze(ACTIVATIONS.filter((a): a is Elementwise => a !== 'softmax' && a !== 'linear'));
