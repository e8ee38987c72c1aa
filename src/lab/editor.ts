/**
 * The net editor: layers (units, activation, bias mode), loss, reduction, learning rate, batch size and the
 * initialisation seed. The inputs and the output units are fixed by the data. Apply hands a new spec to the
 * page, which reads it inside its action (an empty or non-numeric field is a typed error naming it) and validates
 * it (a typed error naming the field, the current net unchanged).
 */
import { ACTIVATIONS, BIAS_MODES, LOSSES, REDUCTIONS, type LayerSpec, type NetworkSpec, type RowsSpec } from '../spec.ts';
import { fieldText, readNumber, type FieldText } from './fields.ts';
import { labLr } from './session.ts';
import { inputModeFor } from './keyboard.ts';

export interface EditorValue {
  spec: RowsSpec;
  batchSize: number;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function select(id: string, options: readonly string[], value: string, label: string): HTMLSelectElement {
  const s = el('select', { id, name: id });
  s.setAttribute('aria-label', label);
  for (const o of options) s.append(el('option', { value: o, textContent: o, selected: o === value }));
  return s;
}

/**
 * A number field; its inputmode brings up a tablet's number pad (decimal, with its separator, where it takes decimals:
 * step="any"; numeric, digits only, elsewhere: every field here is at least 0). NOTE: type="number" alone gave an
 * iPad its full keyboard, as index.html's fields (inputModeFor, keyboard.ts).
 */
function number(id: string, value: number, label: string, attrs: { min?: string; max?: string; step?: string } = {}): HTMLInputElement {
  const i = el('input', { id, name: id, type: 'number', value: String(value) });
  i.setAttribute('aria-label', label);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) i.setAttribute(k, v);
  i.setAttribute('inputmode', inputModeFor(attrs.step));
  return i;
}

/** A net's layer sizes, inputs first: "2-4-1". */
export function architecture(inputs: number, layers: readonly { units: number }[]): string {
  return [inputs, ...layers.map((l) => l.units)].join('-');
}

/**
 * The name of a net whose shapes were edited: the old sizes at the end of the name become the new ones
 * ("xor: 2-4-1" → "xor: 2-16-8-1"); a name without them gets the new sizes added ("my net (2-16-1)").
 */
export function editedName(name: string, before: string, after: string): string {
  if (before === after) return name;
  return name.endsWith(before) ? `${name.slice(0, name.length - before.length)}${after}` : `${name} (${after})`;
}

const lenient = (text: string): number => (text.trim() === '' ? NaN : Number(text));

export class NetEditor {
  private layers: LayerSpec[] = [];
  private base: RowsSpec | null = null;
  private examples = 1;
  private batchSize = 1;
  private seed = 1;

  /** `onApply` gets the edit as a function: reading the fields can throw (a typed error), inside the page's action. */
  constructor(private readonly form: HTMLFormElement, private readonly onApply: (value: () => EditorValue) => void) {
    // The engine validates (a typed error naming the field, shown in the page), not the browser's bubbles.
    form.noValidate = true;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.apply(false);
    });
  }

  /** Show a spec (after a preset, an import or an Apply); `seed` is the one its weights were drawn with, if any (Apply re-initialises when another is typed). */
  show(spec: RowsSpec, batchSize: number, examples: number, seed = spec.init?.seed ?? 1): void {
    this.base = spec;
    this.layers = spec.layers.map((l) => ({ ...l, bias: l.bias ?? 'per-unit' }));
    this.batchSize = batchSize;
    this.examples = examples;
    this.seed = seed;
    this.draw();
  }

  /** Redraw after adding or removing a layer: the other fields keep what was typed, focus stays in the editor. */
  private redraw(focus: string): void {
    const v = this.read();
    // What was typed, even empty (NaN shows as an empty field); Apply names an empty field.
    this.base = { ...this.base!, loss: v.loss, reduction: v.reduction, lr: lenient(v.lr.value) };
    this.batchSize = lenient(v.batchSize.value);
    this.seed = lenient(v.seed.value);
    this.draw();
    this.form.querySelector<HTMLElement>(focus)?.focus();
  }

  private draw(): void {
    const spec = this.base;
    if (!spec) return;
    const f = this.form;
    // NOTE: every control is made anew; Apply and Re-initialise have ids so that the page's run() can give the focus
    // back to the new one after an Apply from the keyboard (src/lab/main.ts).
    f.replaceChildren();
    const table = el('table', { className: 'layers' });
    // The output units said here too, not only as the disabled field's title (hover-only: a tablet has none).
    const outputs = this.layers[this.layers.length - 1].units;
    table.append(el('caption', { textContent: `Layers (${spec.inputs} inputs, fixed by the data x; ${outputs} output unit${outputs === 1 ? '' : 's'}, by the labels y)` }));
    table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col', textContent: 'layer' }), el('th', { scope: 'col', textContent: 'units' }), el('th', { scope: 'col', textContent: 'activation' }), el('th', { scope: 'col', textContent: 'bias' }), el('th', { scope: 'col', textContent: '' }))));
    const body = el('tbody');
    const last = this.layers.length - 1;
    this.layers.forEach((layer, l) => {
      // No max: Apply takes what the engine and its budget accept (XOR 2-100000-1 builds; a LimitError names what does
      // not), and no one number says that for every net; max="4096" marked such a field out of range.
      const units = number(`layer-${l}-units`, layer.units, `layer ${l + 1} units`, { min: '1' });
      if (l === last) {
        units.disabled = true;
        units.title = 'the output units are fixed by the labels y';
      }
      // NaN for an empty field (Number('') is 0): it shows empty after a redraw, and Apply names it.
      units.addEventListener('change', () => { layer.units = lenient(units.value); });
      const act = select(`layer-${l}-activation`, ACTIVATIONS, layer.activation, `layer ${l + 1} activation`);
      act.addEventListener('change', () => { layer.activation = act.value as LayerSpec['activation']; });
      const bias = select(`layer-${l}-bias`, BIAS_MODES, layer.bias ?? 'per-unit', `layer ${l + 1} bias`);
      bias.addEventListener('change', () => { layer.bias = bias.value as LayerSpec['bias']; });
      const remove = el('button', { type: 'button', textContent: '−', title: `remove layer ${l + 1}`, disabled: l === last });
      remove.setAttribute('aria-label', `remove layer ${l + 1}`);
      remove.addEventListener('click', () => { this.layers.splice(l, 1); this.redraw('#add-layer'); });
      body.append(el('tr', {}, el('th', { scope: 'row', textContent: l === last ? `${l + 1} (out)` : String(l + 1), title: l === last ? 'the output layer' : `hidden layer ${l + 1}` }), el('td', {}, units), el('td', {}, act), el('td', {}, bias), el('td', {}, remove)));
    });
    table.append(body);
    // NOTE: the Data column is ~250 px wide on a desktop: the table keeps its natural width (every select and the
    // remove button whole) and scrolls sideways inside this box when it is wider than the column.
    const tableBox = el('div', { className: 'layers-box' }, table);
    const add = el('button', { type: 'button', textContent: '+ hidden layer', id: 'add-layer' });
    add.addEventListener('click', () => {
      this.layers.splice(last, 0, { units: 4, activation: 'tanh', bias: 'per-unit' });
      this.redraw('#add-layer');
    });
    const loss = select('loss', LOSSES, spec.loss, 'loss');
    const reduction = select('reduction', REDUCTIONS, spec.reduction ?? 'mean', 'reduction');
    const lr = number('lr', labLr(spec), 'learning rate', { min: '0', step: 'any' });
    // Named as its label shows it, the number of examples too (a screen reader read "batch size" alone).
    const batchLabel = `batch size (of ${this.examples})`;
    const batch = number('batch-size', this.batchSize, batchLabel, { min: '1', max: String(this.examples) });
    const seed = number('seed', this.seed, 'initialisation seed', { min: '0', step: '1' });
    const field = (label: string, input: HTMLElement) => el('label', { className: 'field' }, `${label} `, input);
    const reinit = el('button', { type: 'button', textContent: 'Re-initialise (Xavier, seed)', id: 'editor-reinit' });
    reinit.addEventListener('click', () => this.apply(true));
    f.append(
      tableBox,
      add,
      el('div', { className: 'fields' },
        field('loss', loss), field('reduction', reduction), field('learning rate η', lr),
        field(batchLabel, batch), field('seed', seed)),
      el('div', { className: 'buttons' }, el('button', { type: 'submit', textContent: 'Apply', id: 'editor-apply' }), reinit),
    );
    this.read = () => ({
      loss: loss.value as NetworkSpec['loss'],
      reduction: reduction.value as NetworkSpec['reduction'],
      lr: fieldText(lr),
      batchSize: fieldText(batch),
      seed: fieldText(seed),
    });
  }

  private read: () => { loss: NetworkSpec['loss']; reduction: NetworkSpec['reduction']; lr: FieldText; batchSize: FieldText; seed: FieldText } = () => {
    throw new Error('the editor has no net yet');
  };

  private apply(reinit: boolean): void {
    const spec = this.base;
    if (!spec) return;
    const typed = this.read();
    const typedLayers = this.layers.map((l, i) => {
      const input = this.form.querySelector<HTMLInputElement>(`#layer-${i}-units`);
      return { ...l, units: input ? fieldText(input) : String(l.units) };
    });
    const shownSeed = this.seed;
    this.onApply(() => {
      const layers = typedLayers.map((l, i) => ({ ...l, units: readNumber(l.units, `layers[${i}].units`) }));
      const v = { ...typed, lr: readNumber(typed.lr, 'lr'), batchSize: readNumber(typed.batchSize, 'batch size'), seed: readNumber(typed.seed, 'seed') };
      // A seed other than the one shown asks for that seed's weights.
      return this.edited(spec, layers, v, reinit || v.seed !== shownSeed);
    });
  }

  private edited(spec: RowsSpec, layers: LayerSpec[], v: { loss: NetworkSpec['loss']; reduction: NetworkSpec['reduction']; lr: number; batchSize: number; seed: number }, reinit: boolean): EditorValue {
    const { params, init, ...rest } = spec;
    const sameShapes = layers.length === spec.layers.length && layers.every((l, i) => l.units === spec.layers[i].units && (l.bias ?? 'per-unit') === (spec.layers[i].bias ?? 'per-unit'));
    const keep = !reinit && sameShapes && params !== undefined;
    const before = architecture(spec.inputs, spec.layers);
    const after = architecture(spec.inputs, layers);
    const next: RowsSpec = {
      ...rest,
      ...(rest.name !== undefined ? { name: editedName(rest.name, before, after) } : {}),
      // The lecture's own names are per unit: they do not fit a net of other shapes.
      notation: sameShapes ? rest.notation : undefined,
      layers,
      loss: v.loss,
      reduction: v.reduction,
      lr: v.lr,
      ...(keep ? { params } : { init: { scheme: init?.scheme ?? 'xavier', seed: v.seed } }),
    };
    return { spec: next, batchSize: v.batchSize };
  }
}
