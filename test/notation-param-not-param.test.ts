/**
 * explain's --param (Naming.resolveParam, src/notation/names.ts) given a name the net has that is not a parameter:
 * the output ŷ, a node z_h1, the loss L, check's own names (new w5, δ_h1, ∂L/∂b1 from h1). The message must say
 * what the name is and what --param takes, never "did you mean 'ŷ'?" about the very name given.
 */
import { describe, expect, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { spec221 } from './lib/notation-common.ts';

const naming = new Naming(validateSpec(spec221).net, spec221.notation);

function message(text: string): string {
  try {
    naming.resolveParam(text, '--param');
  } catch (err) {
    expect(err).toBeInstanceOf(NotationError);
    expect((err as NotationError).field).toBe('--param');
    return (err as Error).message;
  }
  return 'nothing thrown';
}

describe('resolveParam: a name of the net that is not a parameter', () => {
  it.each([
    ['ŷ', 'the output'],
    ['z_h1', 'z of unit 1 of layer 1'],
    ['a_h2', 'a of unit 2 of layer 1'],
    ['L', 'the loss'],
    ['x1', 'input 1'],
  ])("'%s' is named for what it is (%s), with no 'did you mean' about itself", (text, what) => {
    const m = message(text);
    expect(m).not.toContain('did you mean');
    expect(m).toContain(`'${text}' is ${what} in this net, not a parameter`);
    expect(m).toContain('parameters: w1, w2, w3, w4, w5, w6, b1, b2');
  });

  it.each([
    ['new w5', 'w5 after one SGD step'],
    ["w5'", 'w5 after one SGD step'],
    ['δ_h1', 'a derivative that is not'],
    ['∂L/∂b1 from h1', 'a derivative that is not'],
    ['∂ŷ/∂z_out', 'a derivative that is not'],
  ])("check's name '%s' is said to be %s, and what --param takes", (text, what) => {
    const m = message(text);
    expect(m).not.toContain('did you mean');
    expect(m).toContain(`'${text}' is ${what}`);
    expect(m).toContain('give a parameter (w1) or its gradient (∂L/∂w1)');
  });

  it('a name in another case still gets its hint, and a parameter still resolves', () => {
    expect(message('W5')).toContain("did you mean 'w5'? (names are case-sensitive)");
    expect(message('Ŷ')).toContain("did you mean 'ŷ'?");
    expect(naming.resolveParam('∂L/∂w5', '--param')).toEqual({ kind: 'W', layer: 1, row: 0, col: 0 });
  });
});

describe('resolveParam: the gradient suggested is written with the net\'s own loss name', () => {
  it("lecture 002's loss is E: 'A3' (its output) is answered with ∂E/∂w11, not ∂L/∂w11", () => {
    const spec = lecture('lecture-2-2-1-nobias').worked.spec;
    const n = new Naming(validateSpec(spec).net, spec.notation);
    let m = 'nothing thrown';
    try {
      n.resolveParam('A3', '--param');
    } catch (err) {
      m = (err as Error).message;
    }
    expect(m).toContain("'A3' is the output in this net, not a parameter: give a parameter (w11) or its gradient (∂E/∂w11)");
  });
});

describe("a derivative of another loss letter than the net's (lecture 002's loss is E, lecture 001's L)", () => {
  const nobias = lecture('lecture-2-2-1-nobias').worked.spec;
  const n002 = new Naming(validateSpec(nobias).net, nobias.notation);
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return (err as Error).message;
    }
    return 'nothing thrown';
  };
  const nets = { 'lecture 002': n002, 'lecture 001': naming };
  it.each([
    ['lecture 002', '∂L/∂w31', "'L' is not this net's loss (in '∂L/∂w31'): the loss is E here, so write ∂E/∂w31"],
    ['lecture 002', '∂J/∂A1', "'J' is not this net's loss (in '∂J/∂A1'): the loss is E here, so write ∂E/∂A1"],
    ['lecture 001', '∂E/∂w5', "'E' is not this net's loss (in '∂E/∂w5'): the loss is L here, so write ∂L/∂w5"],
  ] as const)('%s: %s names the loss it means', (net, text, want) => {
    expect(thrown(() => nets[net].resolve(text, 'f'))).toContain(want);
  });
  it('the loss letter of the net itself still resolves, and a name that is no loss letter is answered as before', () => {
    expect(n002.resolveParam('∂E/∂w31', 'f')).toEqual({ kind: 'W', layer: 1, row: 0, col: 0 });
    expect(thrown(() => n002.resolve('∂q/∂w31', 'f'))).toContain("'q' is not a name (in '∂q/∂w31') in this net");
  });
});
