/**
 * MNIST's output units named by their digit in the diagram (src/lab/diagram-model.ts, DiagramView.outputLabels):
 * they were o1 … o10 for the digits 0 … 9, so "o1" read as digit 1. Output unit k is digit k (the one-hot target of
 * digit k is 1 at index k: src/lab/mnist.ts mnistSpecData), so its name is "k" and its tooltip starts "digit k (o(k+1))".
 * Hidden units keep their names; without labels the outputs keep o1 … o10.
 */
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { initParams } from '../src/init.ts';
import { Naming } from '../src/notation/names.ts';
import { validateNet } from '../src/spec.ts';

const net = validateNet({ inputs: 784, layers: [{ units: 32, activation: 'sigmoid' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
const params = initParams(net, 'xavier', 7);
const base = { net, naming: new Naming(net, undefined), params, X: new Float32Array(784), n: 1, example: 0, values: {} };
const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => ({ name: d, title: `digit ${d}` }));

describe('the diagram names output units by what they stand for', () => {
  it('MNIST: the outputs are 0 … 9, each tooltip "digit k (o(k+1)): …"; the hidden units stay h1 …', () => {
    const m = diagramModel({ ...base, outputLabels: digits });
    const outs = m.nodes.filter((nd) => nd.column === 2);
    expect(outs.map((nd) => nd.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(outs[0].title.startsWith('digit 0 (o1): ')).toBe(true);
    expect(outs[9].title.startsWith('digit 9 (o10): ')).toBe(true);
    expect(m.nodes.filter((nd) => nd.column === 1).map((nd) => nd.name).slice(0, 2)).toEqual(['h1', 'h2']);
  });

  it('without labels the outputs keep the naming\'s o1 … o10', () => {
    const outs = diagramModel(base).nodes.filter((nd) => nd.column === 2);
    expect(outs.map((nd) => nd.name)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'o9', 'o10']);
    expect(outs[0].title.startsWith('z_o1 = ')).toBe(true);
  });
});
