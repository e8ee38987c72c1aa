/**
 * explain of a worked-example file whose spec has no `name` is headed by the file's `title`, not "the net" (usr56b);
 * a spec's own name still heads it, and a bare spec without a name is "the net" as before. explainer's doc title; the
 * spec itself is not given the title as its name (the lab and the CLI read spec files through specOf: a train plot or
 * a checkpoint would carry it).
 */
import { expect, it } from 'vitest';
import { explainer, specOf } from '../src/notation/explain.ts';
import { WORKED_FORMAT } from '../src/worked/worked.ts';

/** The lecture 2-2-1 net's shape with made-up weights: only the header is looked at. */
const spec = {
  inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse',
  params: { W: [[[0.5]]], b: [[0.1]] }, x: [[1]], y: [[0]],
};
const worked = (s: object) => ({
  format: WORKED_FORMAT, id: 'mine', title: 'My homework: one sigmoid unit', source: 'notes.md', description: 'one unit', spec: s, claims: [],
});
const titleOf = (raw: unknown): string => explainer(raw).doc([]).title;

it("a worked file's spec without a name: headed by the file's title", () => {
  expect(titleOf(worked(spec))).toBe('My homework: one sigmoid unit');
});

it("a worked file's spec with a name: headed by the name", () => {
  expect(titleOf(worked({ ...spec, name: 'unit-1' }))).toBe('unit-1');
});

it('a bare spec without a name: "the net"', () => {
  expect(titleOf(spec)).toBe('the net');
});

it("the title heads explain's output only: specOf (the lab's and the CLI's reading of a spec file) gives the spec as it is, no name added", () => {
  const s = specOf(worked(spec));
  expect(s).toBe(spec);
  expect(s.name).toBeUndefined();
});
