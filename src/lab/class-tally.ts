/**
 * A classification's confusion matrix in numbers, no DOM and no net (class-confusion.ts computes the outputs and
 * draws the tables; confusion.ts MNIST's): each row's class from the net's outputs by the engine's rule (eval.ts
 * argmaxColumn, the rule the decision boundary colours by and Fit's accuracy counts with: one sigmoid output is class 1
 * at ŷ ≥ 0.5, exactly 0.5 included; K outputs the argmax, the first on ties; a NaN output class 0), the tally of true
 * against predicted class for any number of classes K, the accuracy, each class's recall (its row's diagonal over its
 * row) and the caption that says them.
 */
import { SpecError } from '../errors.ts';
import { argmaxColumn } from './eval.ts';
import { percent } from './words.ts';

/** The class of each of the n columns of a (K × n) output matrix (engine layout: out[k·n + c]), by argmaxColumn. */
export function predictedClasses(out: ArrayLike<number>, K: number, n: number): number[] {
  if (!Number.isInteger(K) || K < 1) throw new SpecError('confusion.outputs', `needs a whole number of outputs ≥ 1, got ${K}`);
  if (!Number.isInteger(n) || n < 0) throw new SpecError('confusion.rows', `needs a whole number of rows ≥ 0, got ${n}`);
  if (out.length !== K * n) throw new SpecError('confusion.outputs', `has ${out.length} values for ${n} rows of ${K} output${K === 1 ? '' : 's'} (needs ${K * n})`);
  return Array.from({ length: n }, (_, c) => argmaxColumn(out, K, n, c));
}

/** The classes a net of K outputs tells apart: one output (sigmoid, BCE) 2, else K. */
export function classesOf(K: number): number {
  return K === 1 ? 2 : K;
}

/**
 * matrix[t][p]: how many rows of true class t (labels) were predicted p, for `classes` classes. Every label and
 * prediction must be a class 0 … classes − 1, as many of one as of the other.
 */
export function tallyConfusion(labels: readonly number[], predicted: readonly number[], classes: number): number[][] {
  if (!Number.isInteger(classes) || classes < 2) throw new SpecError('confusion.classes', `needs a whole number of classes ≥ 2, got ${classes}`);
  if (predicted.length !== labels.length) throw new SpecError('confusion.predicted', `has ${predicted.length} classes for ${labels.length} labelled rows`);
  const inRange = (v: number) => Number.isInteger(v) && v >= 0 && v < classes;
  const badLabel = labels.findIndex((v) => !inRange(v));
  if (badLabel >= 0) throw new SpecError(`confusion.labels[${badLabel}]`, `needs a class 0 … ${classes - 1}, got ${labels[badLabel]}`);
  const badGuess = predicted.findIndex((v) => !inRange(v));
  if (badGuess >= 0) throw new SpecError(`confusion.predicted[${badGuess}]`, `needs a class 0 … ${classes - 1}, got ${predicted[badGuess]}`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  labels.forEach((t, c) => matrix[t][predicted[c]]++);
  return matrix;
}

/** Rows on the diagonal, and rows in all. */
export function accuracyOf(matrix: readonly (readonly number[])[]): { right: number; total: number } {
  let right = 0;
  let total = 0;
  matrix.forEach((row, t) => {
    right += row[t];
    for (const v of row) total += v;
  });
  return { right, total };
}

/** Each true class's recall: its row's diagonal count over its row (no rows of that class: `total` 0). */
export function recalls(matrix: readonly (readonly number[])[]): { right: number; total: number }[] {
  return matrix.map((row, t) => ({ right: row[t], total: row.reduce((a, b) => a + b, 0) }));
}

/** The classes' names: the data's where it names every class, else "class 0", "class 1", …. */
export function classNamesFor(classes: number, names?: readonly string[]): string[] {
  return Array.from({ length: classes }, (_, k) => (names && names.length === classes ? names[k] : `class ${k}`));
}

/**
 * The table's caption: which rows, the accuracy (right of all), what rows and columns are, and each class's recall —
 * "Training rows: accuracy 83.3 % (5 of 6). Rows: true class; columns: predicted class. Recall, each true class's
 * share predicted right — a: 100.0 % (2 of 2); b: 50.0 % (1 of 2); c: 100.0 % (2 of 2)." A class with no rows: "no rows".
 */
export function confusionCaption(which: string, matrix: readonly (readonly number[])[], names: readonly string[]): string {
  if (names.length !== matrix.length) throw new SpecError('confusion.names', `has ${names.length} names for ${matrix.length} classes`);
  const { right, total } = accuracyOf(matrix);
  const acc = total === 0 ? 'no rows' : `accuracy ${percent(right / total)} (${right} of ${total})`;
  const each = recalls(matrix).map((r, k) => `${names[k]}: ${r.total === 0 ? 'no rows' : `${percent(r.right / r.total)} (${r.right} of ${r.total})`}`);
  return `${which}: ${acc}. Rows: true class; columns: predicted class. Recall, each true class's share predicted right — ${each.join('; ')}.`;
}

/**
 * Each row's true class from its target row, where the targets are a classification's: one column of 0 and 1 (class =
 * the value) or one-hot rows (class = the column of the 1); undefined otherwise (a regression's, soft targets).
 */
export function labelsFromTargets(y: readonly (readonly number[])[]): number[] | undefined {
  if (y.length === 0) return undefined;
  const width = y[0].length;
  if (width === 0 || y.some((r) => r.length !== width)) return undefined;
  if (width === 1) return y.every((r) => r[0] === 0 || r[0] === 1) ? y.map((r) => r[0]) : undefined;
  const ok = y.every((r) => r.every((v) => v === 0 || v === 1) && r.filter((v) => v === 1).length === 1);
  return ok ? y.map((r) => r.indexOf(1)) : undefined;
}
