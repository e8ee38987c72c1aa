/**
 * The Output's confusion matrices for a classification that is not MNIST's (views.ts drawViews): your data's, a 2-D
 * preset's, a spec file's of class targets — with one feature (beside the curve), two (under the decision boundary)
 * or more (where nothing else shows which classes the net mixes up). One table of the training rows and, where there
 * are validation rows, one of those: rows the true class, columns the predicted one, named with the CSV's class names,
 * each cell shaded as MNIST's (confusion.ts confusionTable), the caption the accuracy and each class's recall
 * (class-tally.ts confusionCaption). On the CPU from the current weights, in chunks (confusion.ts rowsConfusion).
 */
import { groupDigits } from '../notation/cost.ts';
import { BOUNDARY_WORK, forwardWork } from './boundary.ts';
import { classesOf, classNamesFor, confusionCaption, labelsFromTargets } from './class-tally.ts';
import { confusionTable, rowsConfusion } from './confusion.ts';
import type { PresetData } from './presets.ts';
import type { LabSession } from './session.ts';

/** The rows a classification's tables are of: the training rows and the validation rows, each with its true classes. */
export interface ClassRows {
  which: string;
  x: readonly (readonly number[])[];
  labels: number[];
}

/**
 * The rows to tally, or undefined where the Output shows no such table: MNIST (its own), a regression (MSE on targets
 * that are not classes; MSE on class targets only where the data says classes: a 2-D set's boundary), targets that
 * are not 0 / 1 or one-hot, or a net whose outputs do not match the classes (one output for 2, K for K).
 */
export function classRows(s: Pick<LabSession, 'net' | 'lab'>, d: Pick<PresetData, 'kind' | 'labels' | 'validation'>): ClassRows[] | undefined {
  if (d.kind === 'mnist') return undefined;
  if (s.net.loss === 'mse' && d.labels === undefined) return undefined;
  const labels = labelsFromTargets(s.lab.y);
  const K = s.net.layers[s.net.layers.length - 1].units;
  const width = s.lab.y[0]?.length;
  if (!labels || width !== (K === 1 ? 1 : K)) return undefined;
  const rows: ClassRows[] = [{ which: 'Training rows', x: s.lab.x, labels }];
  const v = d.validation;
  const vLabels = v && v.x.length > 0 ? labelsFromTargets(v.y) : undefined;
  if (v && vLabels && v.y[0].length === width) rows.push({ which: 'Validation rows', x: v.x, labels: vLabels });
  return rows;
}

/**
 * Fill `host` with the tables (hidden, and emptied, where classRows gives none), placed right after `after` (the
 * boundary's or the fit view's sentence: the plot, what it says, then the tables, then the first rows' table).
 */
export function drawClassConfusion(host: HTMLElement, after: HTMLElement, s: LabSession, d: PresetData): void {
  const rows = classRows(s, d);
  host.hidden = rows === undefined;
  if (!rows) {
    host.replaceChildren();
    return;
  }
  if (after.nextElementSibling !== host) after.after(host);
  const doc = host.ownerDocument;
  const all = rows.reduce((sum, r) => sum + r.x.length, 0);
  if (forwardWork(s.net) * all > BOUNDARY_WORK) {
    const p = doc.createElement('p');
    p.className = 'out';
    p.textContent = `No confusion matrix: a forward pass for each of the ${groupDigits(all)} rows on the CPU would hold the page for seconds with this net.`;
    host.replaceChildren(p);
    return;
  }
  const K = s.net.layers[s.net.layers.length - 1].units;
  const names = classNamesFor(classesOf(K), d.imported?.classNames);
  host.replaceChildren(...rows.map((r) => {
    const result = rowsConfusion(s.net, s.params, r.x, r.labels);
    // Wide tables (up to 20 classes, long names) scroll sideways in their own box, not the page.
    const box = doc.createElement('div');
    box.className = 'confusion-scroll';
    box.append(confusionTable(doc, result, { names, caption: confusionCaption(r.which, result.matrix, names) }));
    return box;
  }));
}
