/**
 * The errors whose example is a derivative of the loss write it with the net's own loss letter — the notation's
 * "loss" (lecture 2-2-1-nobias: E; a net whose notation says J) — not always ∂L: a student whose lecture writes E was
 * told to write "∂L/∂w5", a name the net does not have. The formula's tokenizer (src/notation/expr.ts, via check's
 * prepare), the name resolver's "from"/"via" (src/notation/names.ts) and the scalar engine's softmax refusals
 * (src/notation/scalar.ts chain, its letter given by check's prepare). Expected messages written from the letters.
 */
import { describe, it } from 'vitest';
import { ClaimError, NotationError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { parseExpr } from '../src/notation/expr.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { checkWorked } from '../src/worked/check.ts';
import type { WorkedExample } from '../src/worked/worked.ts';
import { expectTyped, thrown } from './lib/typed.ts';

const nobias = lecture('lecture-2-2-1-nobias').worked; // notation.loss "E"
/** One softmax layer of 2 units on 2 inputs, its loss written J: names w1 … w4, b1, b2, ŷ1, ŷ2. */
const softmaxJ: NetworkSpec = {
  inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
  params: { W: [[[0.1, 0.2], [0.3, 0.4]]], b: [[0, 0]] }, x: [[1, 2]], y: [[1, 0]], notation: { loss: 'J' },
};
const withClaims = (w: Pick<WorkedExample, 'spec'> & Partial<WorkedExample>, claims: unknown[]): WorkedExample => ({ ...w, claims } as WorkedExample);

describe('a loss derivative in an error is written with the net\'s loss letter', () => {
  it('a formula with "∂ E" (a space): "write it as ∂E/∂w5", not ∂L', () => {
    const err = thrown(() => checkWorked(withClaims(nobias, [{ name: 'w11', formula: '∂ E/∂w11', decimals: 4 }])));
    expectTyped(err, ClaimError, 'claims[0] ("w11").formula', /\(write it as ∂E\/∂w5, without spaces\)$/);
  });

  it('parseExpr without a letter still says ∂L (no net at hand)', () => {
    expectTyped(thrown(() => parseExpr('∂ L/∂w5', 'f')), ClaimError, 'f', /write it as ∂L\/∂w5, without spaces/);
  });

  it('"from" after a parameter: the example is "∂E/∂b1 from h1"', () => {
    const err = thrown(() => checkWorked(withClaims(nobias, [{ name: 'w11 from h1', printed: 1, decimals: 4 }])));
    expectTyped(err, NotationError, 'claims[0] ("w11 from h1").name', /e\.g\. "∂E\/∂b1 from h1"$/);
  });

  it('∂J/∂ŷ1 under softmax-cross-entropy: "∂J/∂z_k = a_k − y_k; ∂J/∂a_k is not used"', () => {
    const err = thrown(() => checkWorked(withClaims({ spec: softmaxJ }, [{ name: '∂J/∂ŷ1', printed: 1, decimals: 4 }])));
    expectTyped(err, NotationError, 'claims[0] ("∂J/∂ŷ1").name', /expanded from the logits: ∂J\/∂z_k = a_k − y_k; ∂J\/∂a_k is not used$/);
  });

  it('a softmax output as the numerator: "expand ∂J/∂… (from the logits) instead"', () => {
    const err = thrown(() => checkWorked(withClaims({ spec: softmaxJ }, [{ name: '∂ŷ1/∂w1', printed: 1, decimals: 4 }])));
    expectTyped(err, NotationError, 'claims[0] ("∂ŷ1/∂w1").name', /every logit of its layer: expand ∂J\/∂… \(from the logits\) instead$/);
  });
});
