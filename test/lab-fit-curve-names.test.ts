/**
 * The one-feature plot's axis and legend names (src/lab/fit-stats.ts curveNames). A regression's vertical axis is its
 * label's (the targets and outputs are values of it). A classification's is not: its outputs are probabilities and
 * its targets 0 or 1 (one-hot for several classes), so an axis named by the label column ("species", 0 … 1) read as
 * if the species were a number, and the legend's ŷ1, ŷ2, ŷ3 did not say which class each line is the probability of.
 * The expected names are worked from the lab's encoding (datasets.ts target, table.ts: class k of classNames is
 * output k one-hot, or y = [1] for the second of two classes with one sigmoid output).
 */
import { describe, expect, it } from 'vitest';
import { curveNames } from '../src/lab/fit-stats.ts';

describe('curveNames', () => {
  it('a regression: the label, else the net\'s ŷ (one output) or "outputs"; the legend the outputs\' own names', () => {
    expect(curveNames({ loss: 'mse', label: 'score', outputNames: ['ŷ'] })).toEqual({ axis: 'score', legend: ['ŷ'] });
    expect(curveNames({ loss: 'mse', outputNames: ['ŷ'] })).toEqual({ axis: 'ŷ', legend: ['ŷ'] });
    expect(curveNames({ loss: 'mse', outputNames: ['ŷ1', 'ŷ2'] })).toEqual({ axis: 'outputs', legend: ['ŷ1', 'ŷ2'] });
  });

  it('two classes, one sigmoid output: the probability of the second class (y = 1), named', () => {
    expect(curveNames({ loss: 'bce', label: 'result', classNames: ['fail', 'pass'], outputNames: ['ŷ'] })).toEqual({ axis: 'P(pass): 1 pass, 0 fail', legend: ['ŷ'] });
    expect(curveNames({ loss: 'bce', outputNames: ['ŷ'] })).toEqual({ axis: 'P(class 1): targets 0 or 1', legend: ['ŷ'] });
    // Names that are not the two classes' (three of them): not used, the axis as without names.
    expect(curveNames({ loss: 'bce', classNames: ['a', 'b', 'c'], outputNames: ['ŷ'] })).toEqual({ axis: 'P(class 1): targets 0 or 1', legend: ['ŷ'] });
  });

  it('several sigmoid outputs under BCE (multi-label): each output the probability of its own target, not one-hot classes', () => {
    expect(curveNames({ loss: 'bce', outputNames: ['ŷ1', 'ŷ2', 'ŷ3'] }))
      .toEqual({ axis: 'probability (each output of its own target, 0 or 1)', legend: ['ŷ1 = P(y1 = 1)', 'ŷ2 = P(y2 = 1)', 'ŷ3 = P(y3 = 1)'] });
  });

  it('several classes, softmax: "probability", each line the probability of its class', () => {
    expect(curveNames({ loss: 'softmax-cross-entropy', label: 'species', classNames: ['setosa', 'versicolor', 'virginica'], outputNames: ['ŷ1', 'ŷ2', 'ŷ3'] }))
      .toEqual({ axis: 'probability (targets one-hot)', legend: ['ŷ1 = P(setosa)', 'ŷ2 = P(versicolor)', 'ŷ3 = P(virginica)'] });
    expect(curveNames({ loss: 'softmax-cross-entropy', outputNames: ['ŷ1', 'ŷ2', 'ŷ3'] }))
      .toEqual({ axis: 'probability (targets one-hot)', legend: ['ŷ1 = P(class 0)', 'ŷ2 = P(class 1)', 'ŷ3 = P(class 2)'] });
    // Ten classes, the first two drawn: still named from the data's ten names.
    const digits = Array.from({ length: 10 }, (_, k) => `digit ${k}`);
    expect(curveNames({ loss: 'softmax-cross-entropy', classNames: digits, outputNames: ['ŷ1', 'ŷ2'], outputs: 10 }).legend).toEqual(['ŷ1 = P(digit 0)', 'ŷ2 = P(digit 1)']);
  });
});
