/**
 * A spec whose x and y are example-major {examples, data} (README, "The network spec": the engine takes either form)
 * in the course lab: checkLabSpec converts it to rows once, so an imported file, a link and the session see rows —
 * the examples counted, the batch size checked against them, the lecture recognised, the class colours, Export and
 * Share. Before, the object went on as `x`: the session's currentRows threw (`this.lab.x.slice is not a function`),
 * a lecture's own data read "its data (0 examples; the lecture's 1)", 0/1 labels were no classes and a file of the
 * net on the page lost its batch size. Every expected row below is the data cut by hand, example c's feature j at
 * c × features + j.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, SpecError } from '../src/errors.ts';
import { checkLink, importedData, readFragment, shareFragment } from '../src/lab/files.ts';
import { LabSession, checkLabSpec } from '../src/lab/session.ts';
import { lecture } from '../src/lectures/index.ts';
import { dataAsRows } from '../src/spec.ts';

/** A 2-2-1 XOR net, its four examples example-major: (0,0) (0,1) (1,0) (1,1) → 0 1 1 0. */
const XOR = {
  name: 'xor-examples', inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
  init: { scheme: 'xavier', seed: 1 }, lr: 0.5,
  x: { examples: 4, data: [0, 0, 0, 1, 1, 0, 1, 1] }, y: { examples: 4, data: [0, 1, 1, 0] },
};
const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

describe('dataAsRows: x or y as rows, either form checked first', () => {
  it('rows are returned as given; {examples, data} is cut into one row per example, its numbers as given', () => {
    const rows = [[1, 2], [3, 4]];
    expect(dataAsRows(rows, 2, 'x')).toBe(rows);
    expect(dataAsRows({ examples: 3, data: [1, 2, 3, 4, 5, 6] }, 2, 'x')).toEqual([[1, 2], [3, 4], [5, 6]]);
    // A number[]'s 0.1 stays 0.1 (not float32's 0.10000000149011612); a Float32Array's values are its float32 ones.
    expect(dataAsRows({ examples: 1, data: [0.1, 0.2] }, 2, 'x')).toEqual([[0.1, 0.2]]);
    expect(dataAsRows({ examples: 1, data: new Float32Array([0.1, 0.2]) }, 2, 'x')).toEqual([[Math.fround(0.1), Math.fround(0.2)]]);
  });

  it('a malformed one is the engine\'s typed error naming the field, not rows with holes', () => {
    expect(() => dataAsRows({ examples: 2, data: [1, 2, 3] }, 2, 'x')).toThrow(ShapeError);
    expect(() => dataAsRows({ examples: 2, data: [1, 2, 3] }, 2, 'x')).toThrow(/^x\.data: /);
    expect(() => dataAsRows({ examples: 1, data: [1, Number.NaN] }, 2, 'y')).toThrow(/^y\[0\]\[1\] is NaN/); // named as the engine names an element: example 0's value 1
    expect(() => dataAsRows([[1, 2], [3]], 2, 'x')).toThrow(/^x\[1\]: /);
    expect(() => dataAsRows('ab', 2, 'x')).toThrow(/^x: /);
  });
});

describe('the lab with an {examples, data} spec', () => {
  it('checkLabSpec hands on rows: the LabNet\'s x and y and its spec\'s, the examples counted for the batch size', () => {
    const lab = checkLabSpec(structuredClone(XOR), 3);
    expect(lab.x).toEqual(XOR_X);
    expect(lab.y).toEqual(XOR_Y);
    expect(lab.spec.x).toEqual(XOR_X);
    expect(lab.spec.y).toEqual(XOR_Y);
    expect(lab.batchSize).toBe(3);
    expect(checkLabSpec(structuredClone(XOR)).batchSize).toBe(4); // full batch: all 4 examples
    // A batch size over the 4 examples is refused naming it (the examples were counted: not 0, not undefined).
    expect(() => checkLabSpec(structuredClone(XOR), 5)).toThrow(new SpecError('batch size', 'must be an integer 1 … 4 (the examples in x), got 5'));
  });

  it('a malformed one is refused before anything loads, the error naming the field (x.data, y, x.rows)', () => {
    expect(() => checkLabSpec({ ...XOR, x: { examples: 4, data: [0, 0, 0, 1, 1, 0, 1] } })).toThrow(/^x\.data: /);
    expect(() => checkLabSpec({ ...XOR, y: { examples: 3, data: [0, 1, 1] } })).toThrow(/^y: /);
    expect(() => checkLabSpec({ ...XOR, x: { ...XOR.x, rows: 4 } })).toThrow(SpecError);
    expect(() => checkLabSpec({ ...XOR, x: { ...XOR.x, rows: 4 } })).toThrow(/^x\.rows: /);
  });

  it('a session on it cuts mini-batches of rows, trains, and exports and shares rows', async () => {
    const s = await LabSession.open(checkLabSpec(structuredClone(XOR), 3), 'cpu', null);
    try {
      expect(s.batches).toBe(2); // ⌈4 / 3⌉
      expect(s.currentRows()).toEqual({ x: XOR_X.slice(0, 3), y: XOR_Y.slice(0, 3) });
      await s.train(1, () => undefined);
      expect(s.currentRows()).toEqual({ x: [XOR_X[3]], y: [XOR_Y[3]] }); // the last mini-batch: the 4th example alone
      expect(s.steps).toBe(1);
      const spec = s.toSpec();
      expect([spec.x, spec.y]).toEqual([XOR_X, XOR_Y]);
      expect(JSON.parse(JSON.stringify(spec))).toMatchObject({ x: XOR_X, y: XOR_Y });
      expect(readFragment(`#${shareFragment(spec)}`).spec).toMatchObject({ x: XOR_X, y: XOR_Y });
    } finally {
      s.dispose();
    }
  });

  it('an imported file: its 0/1 labels are classes (the boundary\'s colours), its spec rows', () => {
    const d = importedData(JSON.stringify(XOR), 'xor.json', null);
    expect(d).toMatchObject({ kind: '2d', labels: [0, 1, 1, 0], classes: 2 });
    expect([d.spec.x, d.spec.y]).toEqual([XOR_X, XOR_Y]);
  });

  it('an imported file of the net on the page keeps the page\'s batch size (its 4 examples counted)', () => {
    const onPage = { spec: checkLabSpec(structuredClone(XOR)).spec, batchSize: 2 }; // the same net on the page, as it loaded
    expect(importedData(JSON.stringify(XOR), 'xor.json', onPage).batchSize).toBe(2);
  });

  it('a lecture\'s own net and data, example-major, is the lecture (its checks), not "its data (0 examples …)"', () => {
    const l = lecture('lecture-2-2-1').worked;
    // Lecture 001's one example: x = (0.05, 0.1), y = 0.01.
    const file = { ...l.spec, x: { examples: 1, data: [0.05, 0.1] }, y: { examples: 1, data: [0.01] } };
    const d = importedData(JSON.stringify(file), 'lecture.json', null);
    expect(d.kind).toBe('lecture');
    expect(d.changedLecture).toBeUndefined();
    expect(d.worked?.title).toBe(l.title);
    // Other data in the same form is a net of its own, its differences counted in examples.
    const other = { ...file, x: { examples: 2, data: [0.05, 0.1, 0.5, 0.2] }, y: { examples: 2, data: [0.01, 0.99] } };
    expect(importedData(JSON.stringify(other), 'lecture.json', null).changedLecture?.differs).toEqual(["its data (2 examples; the lecture's 1)"]);
  });

  it('a link: checked and converted as a file is (the batch counted against its examples), the page loading its rows', () => {
    const { lab } = checkLink({ spec: structuredClone(XOR), batchSize: 2 });
    expect([lab.spec.x, lab.spec.y, lab.batchSize]).toEqual([XOR_X, XOR_Y, 2]);
    expect(() => checkLink({ spec: structuredClone(XOR), batchSize: 5 })).toThrow(/^batch: must be an integer 1 … 4 \(the examples in x\)/);
  });
});
