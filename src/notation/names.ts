/**
 * Naming conventions: what every parameter and node of a net is called, and the reverse — which parameter,
 * node or derivative a name like "∂L/∂w5", "w5'", "a_h1", "∂ŷ/∂z_out" or "∂L/∂b1 from h1" means.
 *
 * Layers are l = 1 … L in names and 0-based in code (layer index 0 is layer 1). W_l[i][j] feeds unit i of
 * layer l from unit j of layer l−1 (input j for l = 1).
 *
 * Conventions (`notation.convention` in a spec, or `--convention`):
 *  - flat (lecture 001, Mazur): w1, w2, … numbered layer by layer, and in a layer by the unit fed (row i),
 *    then by the unit it comes from (column j): W1 = [[w1, w2], [w3, w4]], W2 = [[w5, w6]] — z_h1 = x1·w1 +
 *    x2·w2 + b1, as the 2-2-1 lecture writes. Biases b1, b2, … one per bias value in the same order (a
 *    shared bias is one value: the 2-2-1 lecture's b1 feeds h1 and h2). Nodes: x1 …, z_h1/a_h1 (hidden),
 *    z_out/ŷ (one output), z_o1/ŷ1 … (several); with several hidden layers h{l}{i} (layer, unit).
 *  - to-from (Nielsen; lecture 002): w^l_{jk} feeds unit j of layer l from unit k of layer l−1; b^l_j;
 *    nodes z^l_j, a^l_j. With `numbering: "global"` the units are numbered across layers and the layer
 *    superscript is dropped, as lecture 002 writes it: z1, z2 (hidden), z3 (output); w31 feeds z3 from A1 (the
 *    unit a weight comes from is numbered so too: w53 feeds z5 from a3 in a 2-2-2-1 net).
 *  - from-to (lecture 003): w^l_{kj} comes from unit k of layer l−1 and feeds unit j of layer l (w¹₁₁
 *    feeds O11 from CGPA, w¹₂₁ feeds O11 from IQ); biases b_{lj} (b11, b12, b21); nodes z_{lj}, o_{lj}, ŷ.
 * Index pairs are written together (w¹₁₁) when every index is a single digit, else with a comma: w¹₁₀,₃, printed
 * w¹_10,3 (w^1_{10,3} and w¹₁₀,₃ name it too).
 *
 * A spec's `notation` may rename anything: inputs, targets, z and a of every unit, the loss, the learning
 * rate, and single parameters (`params: {"w7": "W[0][0][0]"}`), so a lecture's own names appear.
 */
import { NotationError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { checkNet } from '../engine-form.ts';
import { biasCount, describeRef, isParamOf, type NodeId, type ParamId, paramKey, parseParamPlace, type Ref, type UnitId } from './ids.ts';
import { matrixEntry } from './matrix.ts';
import { type Sym, normalizeName, parseSym, symKeys, symText } from './symbols.ts';
import { checkConvention, type Convention, gridOf, listOf, lossOf, type NotationSpec, type Numbering, readNotation } from './notation-spec.ts';

// A spec's `notation` as read (its keys, conventions, checks) lives in notation-spec.ts; re-exported here, where the
// notation entry point and the CLI import them from.
export { CONVENTIONS, lossName, type Convention, type NotationSpec, type Numbering } from './notation-spec.ts';

// The ids and their helpers live in ids.ts; re-exported here, where the notation entry point and the modules that
// name a parameter with its Naming import them from.
export type { NodeId, ParamId, Ref, UnitId } from './ids.ts';
export { describeRef, paramKey, paramPlace, paramValue, parseParamPlace, subDigits } from './ids.ts';

const pair = (a: number, b: number): string => (a <= 9 && b <= 9 ? `${a}${b}` : `${a},${b}`);


interface Entry { ref: Ref; sym: Sym }

/** At most this many names of param() are remembered for lookup before every name is indexed (Naming.named). */
const NAMED_CACHE = 4096;
/** From this many layers on, default names may clash (from-to's b11: unit 1 of layer 1, or layer 11's shared bias). */
const UNIQUE_LAYERS = 10;
/**
 * A net of more names than this (parameters, biases and each unit's z and a) is not indexed when its Naming is made, even
 * from UNIQUE_LAYERS layers on: its default names are checked for clashes at the first lookup that needs every name.
 * NOTE: indexing costs about 7 µs a name: a share link of 10 layers of 640 units (3.7 M names) froze the lab's page for
 * half a minute as it loaded, one of 1 000 layers of 64 units for a minute.
 */
export const EAGER_NAMES = 200_000;

/** The names of a net (those indexRest indexes): each weight and bias, and each unit's z and a (EAGER_NAMES's count). */
export function nameCount(net: Net): number {
  return net.layers.reduce((sum, layer) => sum + layer.units * (layer.fanIn + 2) + biasCount(layer.bias, layer.units), 0);
}

/** The keys of a notation that name nothing themselves: with only these the names are a convention's defaults. */
const NAMES_NOTHING: readonly string[] = ['convention', 'numbering', 'decimals'];

/** Whether a notation gives any name of its own (loss, lr, inputs, targets, z, a, units, params: any key but NAMES_NOTHING's). */
function renamesAny(n: NotationSpec): boolean {
  return Object.entries(n).some(([key, value]) => value !== undefined && !NAMES_NOTHING.includes(key));
}

/** Names an error lists, of one kind; past this many, "… and N more" (a 2-12×12-1 net has 1 765). */
const LISTED = 20;

function listed(names: string[]): string {
  return names.length <= LISTED ? names.join(', ') : `${names.slice(0, LISTED).join(', ')}, … and ${names.length - LISTED} more`;
}

/** The names of one net's parameters (W, b), nodes (x, y, z, a), δ, loss and learning rate under a convention or the spec's `notation`, and the lookup of a name a reader types. `new Naming(net, notation, convention?)` throws NotationError naming `notation.…` or `convention` for bad settings. */
export class Naming {
  /** The validated net the names are for. */
  readonly net: Net;
  /** The convention names are written in. */
  readonly convention: Convention;
  /** How units are numbered: 'per-layer' or 'global'. */
  readonly numbering: Numbering;
  /** The loss's name (L, or the spec's: E). */
  readonly loss: Sym;
  /** The learning rate's name (η, or the spec's). */
  readonly lr: Sym;
  /** Decimals to print values with (`notation.decimals`); undefined: the default. */
  readonly decimals: number | undefined;
  private readonly inputs: Sym[];
  private readonly targets: Sym[];
  private readonly z: Sym[][];
  private readonly a: Sym[][];
  private readonly unitLabels: string[][];
  /** The parameters renamed by the spec's notation.params; every other parameter has its default name (defaultParam). */
  private readonly paramSyms = new Map<string, Sym>();
  private readonly byKey = new Map<string, Entry>();
  /** Whether byKey holds every unit's and parameter's names (always with a notation; without one, on the first lookup that needs them). */
  private restIndexed = false;
  /** Without a notation: the clash indexRest met (a deep net's), thrown again by every lookup that needs the rest. */
  private clash: NotationError | undefined;
  /** While indexRest runs: param() then caches nothing (every name goes into byKey). */
  private indexing = false;
  /** Without a notation, before restIndexed: the keys of the names param() handed out (a cache, emptied at NAMED_CACHE). */
  private readonly named = new Map<string, ParamId>();

  /**
   * @param net the net the names are for: `validateSpec(spec).net`, `model.net` or one written as the Net type has it
   *   (checked as initParams checks its `net`: a SpecError naming `net.…`, before anything else)
   * @param notation the spec's `notation` (validated here; errors name `notation.…`)
   * @param convention overrides notation.convention, and then every name is the convention's own: of the notation only
   *   decimals is used (it is still checked in full). Keeping the spec's other names mixed two namings: --convention
   *   to-from on the 2-2-1 lecture gave its a_h1 beside to-from's z¹₁, and the nodes' names beside the parameters'.
   * @param conventionField how an error names `convention`: 'convention' (the option of explain and of this
   *   constructor, as `notation.convention` is the spec's); the CLI gives its flag, '--convention'
   */
  constructor(net: Net, notation: unknown, convention?: Convention, conventionField = 'convention') {
    // First, before any name is made: `net` as initParams and batchScale take one (a SpecError naming `net.…`).
    this.net = checkNet(net);
    net = this.net;
    const given = readNotation(notation);
    checkConvention(convention, conventionField);
    const own = convention === undefined ? notation : undefined;
    // Refused here as grad and train refuse it; NOTE: this indexes its names as well where the notation names anything (about a second on a 784-input net).
    if (own === undefined && notation !== undefined) checkNotation(net, notation);
    const n: NotationSpec = own === undefined ? { decimals: given.decimals } : given;
    this.convention = convention ?? n.convention ?? 'flat';
    this.numbering = n.numbering ?? 'per-layer';
    this.decimals = n.decimals;
    this.loss = lossOf(n);
    this.lr = parseSym(n.lr ?? 'η|lr|eta', 'notation.lr');
    const L = net.layers.length;
    const outputs = net.layers[L - 1].units;
    this.inputs = listOf(n.inputs, net.inputs, 'notation.inputs', (j) => ({ base: 'x', sub: String(j + 1) }));
    this.targets = listOf(n.targets, outputs, 'notation.targets', (k) => (outputs === 1 ? { base: 'y' } : { base: 'y', sub: String(k + 1) }));
    this.unitLabels = n.units !== undefined
      ? gridOf(n.units, net, 'notation.units', () => ({ base: '' })).map((row) => row.map((s) => symText(s)))
      : net.layers.map((layer, l) => Array.from({ length: layer.units }, (_, i) => this.defaultUnitLabel(l, i)));
    this.z = gridOf(n.z, net, 'notation.z', (l, i) => this.defaultZ(l, i));
    this.a = gridOf(n.a, net, 'notation.a', (l, i) => this.defaultA(l, i));
    if (n.units === undefined) {
      // A unit is called by its z's subscript when z is "z_<label>" (z_h1 → h1), else by its a (A1, o11, ŷ, a²₁), in
      // every convention (README: "default: z's subscript, else a's name"): flat's defaults give h1, o1, out as before;
      // to-from's z²₁ and from-to's z21 give a²₁ and ŷ1, not the flat labels (via o1 above ∂L/∂z²₁ …).
      // An index pair (from-to's z_2,10) is not a label either: unit 10 of layer 2 is o_2,10, as unit 9 is o29.
      this.unitLabels = this.z.map((row, l) => row.map((zs, i) => (zs.base === 'z' && zs.sup === undefined && zs.sub !== undefined && !/^[0-9,]+$/.test(zs.sub) ? zs.sub : symText(this.a[l][i]))));
    }
    if (n.params !== undefined) {
      // Two keys for one parameter, or one name (in any spelling: w^1_11, w¹₁₁) for two, are refused here, naming the
      // key: the second would silently replace the first, or the name would stand for two parameters.
      const byName = new Map<string, string>();
      for (const [name, where] of Object.entries(n.params)) {
        const field = `notation.params.${name}`;
        const p = parseParamPlace(net, where, field);
        const sym = parseSym(name, field);
        const had = this.paramSyms.get(paramKey(p));
        if (had) throw new NotationError(field, `${paramKey(p)} is already named '${symText(had)}'; give a parameter one key (aliases as 'a|b')`);
        for (const key of symKeys(sym)) {
          const other = byName.get(key);
          if (other !== undefined) throw new NotationError(field, `'${name}' (${paramKey(p)}) is the name ${other} already has; every name must be unique`);
          byName.set(key, `notation.params.${name} (${paramKey(p)})`);
        }
        this.paramSyms.set(paramKey(p), sym);
      }
    }
    this.index();
    // NOTE: a wide net has far more names than a lookup needs (784-1024-10: 814 090 parameters), and indexing every
    // one took 8 s on the lab's page (a 2-100000-1 net: 0.9 s for its units' z and a alone). In nets of fewer than
    // UNIQUE_LAYERS layers the default names are unique by construction (w/b with their layer and indices, z/a with
    // their unit's, never x, y, L or η), so without a notation they are indexed only when a lookup needs them. A
    // notation may rename anything, and from-to's names run the numbers together (b11: layer 1's unit 1, or a shared
    // bias of layer 11): then every name is checked for clashes here, as before — but without a notation only up to
    // EAGER_NAMES names (a deep net of more: at the first lookup that needs them, as in a shallower net).
    // A notation that only picks a convention, a numbering or decimals renames nothing: its names are the defaults
    // (unique below UNIQUE_LAYERS in every convention and numbering, as the convention argument's are), so it is
    // indexed as without one (a link to a 784-1024-1024-10 net with {"decimals": 2} took 13 s here, {"convention":
    // "to-from"} 17 s).
    if ((own !== undefined && renamesAny(given)) || (net.layers.length >= UNIQUE_LAYERS && nameCount(net) <= EAGER_NAMES)) this.indexRest();
  }

  private defaultUnitLabel(l: number, i: number): string {
    const L = this.net.layers.length;
    if (l === L - 1) return this.net.layers[l].units === 1 ? 'out' : `o${i + 1}`;
    if (L === 2) return `h${i + 1}`;
    return `h${pair(l + 1, i + 1)}`;
  }

  /** 1-based number of unit i of layer l counted across all layers (global numbering). */
  private globalUnit(l: number, i: number): number {
    let g = 0;
    for (let m = 0; m < l; m++) g += this.net.layers[m].units;
    return g + i + 1;
  }

  private isOutput(l: number): boolean {
    return l === this.net.layers.length - 1;
  }

  private defaultZ(l: number, i: number): Sym {
    if (this.convention === 'flat') return { base: 'z', sub: this.unitLabels[l][i] };
    if (this.numbering === 'global') return { base: 'z', sub: String(this.globalUnit(l, i)) };
    if (this.convention === 'to-from') return { base: 'z', sup: String(l + 1), sub: String(i + 1) };
    return { base: 'z', sub: pair(l + 1, i + 1) };
  }

  private defaultA(l: number, i: number): Sym {
    const single = this.net.layers[l].units === 1;
    if (this.convention === 'flat') {
      if (this.isOutput(l)) return single ? { base: 'y', hat: true } : { base: 'y', hat: true, sub: String(i + 1) };
      return { base: 'a', sub: this.unitLabels[l][i] };
    }
    if (this.numbering === 'global') return { base: this.convention === 'from-to' ? 'o' : 'a', sub: String(this.globalUnit(l, i)) };
    if (this.convention === 'to-from') return { base: 'a', sup: String(l + 1), sub: String(i + 1) };
    if (this.isOutput(l)) return single ? { base: 'y', hat: true } : { base: 'y', hat: true, sub: String(i + 1) };
    return { base: 'o', sub: pair(l + 1, i + 1) };
  }

  private defaultParam(p: ParamId): Sym {
    const layer = this.net.layers[p.layer];
    const shared = p.kind === 'b' && layer.bias === 'shared';
    if (this.convention === 'flat') {
      // w: weights numbered layer by layer, row by row; b: bias values numbered layer by layer.
      let k = 0;
      for (let m = 0; m < p.layer; m++) k += p.kind === 'W' ? this.net.layers[m].units * this.net.layers[m].fanIn : biasCount(this.net.layers[m].bias, this.net.layers[m].units);
      k += p.kind === 'W' ? p.row * layer.fanIn + p.col + 1 : p.index + 1;
      return { base: p.kind === 'W' ? 'w' : 'b', sub: String(k) };
    }
    const global = this.numbering === 'global';
    if (p.kind === 'b') {
      if (shared) return global || this.convention === 'to-from' ? { base: 'b', sup: String(p.layer + 1) } : { base: 'b', sub: String(p.layer + 1) };
      if (global) return { base: 'b', sub: String(this.globalUnit(p.layer, p.index)) };
      return this.convention === 'to-from' ? { base: 'b', sup: String(p.layer + 1), sub: String(p.index + 1) } : { base: 'b', sub: pair(p.layer + 1, p.index + 1) };
    }
    // Global numbering numbers the source unit across layers too (w53 feeds z5 from a3 in a 2-2-2-1 net), as its a is
    // named; the inputs keep their own numbers (x1, x2), so a first-layer weight's source is its input's.
    const to = global ? this.globalUnit(p.layer, p.row) : p.row + 1;
    const from = global && p.layer > 0 ? this.globalUnit(p.layer - 1, p.col) : p.col + 1;
    const sub = this.convention === 'to-from' ? pair(to, from) : pair(from, to);
    return global ? { base: 'w', sub } : { base: 'w', sup: String(p.layer + 1), sub };
  }

  /**
   * Every parameter in the flat order: the weights layer by layer, W row by row (w1, w2, …), then the bias
   * values layer by layer (b1, b2, …).
   */
  params(): ParamId[] {
    const out: ParamId[] = [];
    this.net.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.units; i++) for (let j = 0; j < layer.fanIn; j++) out.push({ kind: 'W', layer: l, row: i, col: j });
    });
    this.net.layers.forEach((layer, l) => {
      for (let i = 0; i < biasCount(layer.bias, layer.units); i++) out.push({ kind: 'b', layer: l, index: i });
    });
    return out;
  }

  /** How many parameters the net has (params().length, without listing them). */
  paramCount(): number {
    return this.net.layers.reduce((sum, layer) => sum + layer.units * layer.fanIn + biasCount(layer.bias, layer.units), 0);
  }

  /**
   * The name of W_l[i][j] or b_l[k] (`p` 0-based), the spec's renaming if it has one.
   * @throws {NotationError} naming `param` when `p` is not a parameter of this net.
   */
  param(p: ParamId): Sym {
    const key = paramKey(p);
    if (!isParamOf(this.net, p)) throw new NotationError('param', `${key} is not a parameter of this net`);
    const renamed = this.paramSyms.get(key);
    if (renamed) return renamed;
    const s = this.defaultParam(p);
    if (!this.restIndexed && !this.indexing && this.net.layers.length < UNIQUE_LAYERS) {
      // Remembered, so that the name given out here resolves back without indexing every parameter (the lab's
      // explanation names a parameter, then resolves that name). Only below UNIQUE_LAYERS layers, where the default
      // names are unique: a deep net past EAGER_NAMES may name two parameters alike (from-to's b11), and its lookup
      // must index every name and refuse the clash, not answer with the one param() named last.
      if (this.named.size >= NAMED_CACHE) this.named.clear();
      for (const k of symKeys(s)) this.named.set(k, { ...p });
    }
    return s;
  }

  /** The name of a node: an input x, a target y, or a unit's z or a. */
  node(n: NodeId): Sym {
    switch (n.kind) {
      case 'x': return this.inputs[n.index];
      case 'y': return this.targets[n.index];
      case 'z': return this.z[n.layer][n.unit];
      case 'a': return this.a[n.layer][n.unit];
    }
  }

  /**
   * δ of a unit: ∂L/∂z, named like its z with δ for z (δ_h1, δ_out, δ²₁, δ11); a z the spec names with other letters
   * keeps them (p1 → δ_p1): δ for its letters alone gave p1 and q1 (two layers' units) both δ1.
   */
  delta(layer: number, unit: number): Sym {
    const z = this.z[layer][unit];
    return { base: 'δ', sup: z.sup, sub: z.base === 'z' && !z.hat ? (z.sub ?? 'z') : `${symText({ base: z.base, hat: z.hat })}${z.sub ?? ''}` };
  }

  /** The label of a unit in path groups ("from h1"): `notation.units`, else z's subscript, else a's name. */
  unitLabel(u: UnitId): string {
    return this.unitLabels[u.layer][u.unit];
  }

  /** The names a reader can type for this net (for error messages). */
  known(): {
    /** The parameters' names (w1, …, b1, …), as the convention writes them. */
    params: string[];
    /** The nodes' names: the inputs, the targets, then z and a of each unit, layer by layer. */
    nodes: string[];
  } {
    const nodes: string[] = [...this.inputs, ...this.targets].map(symText);
    this.net.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.units; i++) nodes.push(symText(this.z[l][i]), symText(this.a[l][i]));
    });
    return { params: this.params().map((p) => symText(this.param(p))), nodes };
  }

  /** A name into byKey; a NotationError when it already names something else (both described by describeRef). */
  private addName(sym: Sym, ref: Ref): void {
    for (const key of symKeys(sym)) {
      const had = this.byKey.get(key);
      if (had && JSON.stringify(had.ref) !== JSON.stringify(ref)) {
        throw new NotationError('notation', `the name '${symText(sym)}' (${describeRef(ref)}) is also the name of ${describeRef(had.ref)}; every name must be unique`);
      }
      this.byKey.set(key, { ref, sym });
    }
  }

  /** The loss's, the learning rate's, the inputs' and the targets' names into byKey (the rest: indexRest). */
  private index(): void {
    this.addName(this.loss, { kind: 'loss' });
    this.addName(this.lr, { kind: 'lr' });
    this.inputs.forEach((s, j) => this.addName(s, { kind: 'node', node: { kind: 'x', index: j } }));
    this.targets.forEach((s, k) => this.addName(s, { kind: 'node', node: { kind: 'y', index: k } }));
  }

  /**
   * The names of every unit (z, a) and parameter into byKey, after index()'s (a clash with another name is a
   * NotationError, as for those). The constructor calls it when there is a notation; else the first lookup that needs it.
   */
  private indexRest(): void {
    if (this.restIndexed) return;
    if (this.clash) throw this.clash;
    this.named.clear();
    this.indexing = true;
    try {
      this.indexAll();
    } catch (e) {
      // byKey back to index()'s: a name indexed before the clash (from-to's first b11) answered its next lookup.
      this.byKey.clear();
      this.index();
      if (e instanceof NotationError) this.clash = e;
      throw e;
    } finally {
      this.indexing = false;
    }
    this.restIndexed = true;
  }

  private indexAll(): void {
    // δ names are not in byKey (resolve finds them by their z), but must be unique too: z names p1 and z_p1 both give δ_p1.
    const deltas = new Map<string, string>();
    this.net.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.units; i++) {
        this.addName(this.z[l][i], { kind: 'node', node: { kind: 'z', layer: l, unit: i } });
        this.addName(this.a[l][i], { kind: 'node', node: { kind: 'a', layer: l, unit: i } });
        const z = symText(this.z[l][i]);
        const delta = this.delta(l, i);
        for (const key of symKeys(delta)) {
          const other = deltas.get(key);
          if (other !== undefined) throw new NotationError('notation', `the z names '${other}' and '${z}' give both units the δ (∂${symText(this.loss)}/∂z) '${symText(delta)}'; every name must be unique`);
          deltas.set(key, z);
        }
      }
    });
    for (const p of this.params()) this.addName(this.param(p), { kind: 'param', param: p });
  }

  /** A plain name (no ∂, no ', no "from"): the loss, the learning rate, an input, target, z, a or parameter. */
  private lookup(text: string): Ref | undefined {
    const key = normalizeName(text);
    const found = this.byKey.get(key);
    if (found || this.restIndexed) return found?.ref;
    const named = this.named.get(key);
    if (named) return { kind: 'param', param: { ...named } };
    this.indexRest();
    return this.byKey.get(key)?.ref;
  }

  private unknown(field: string, text: string, what = 'a name'): NotationError {
    const k = this.known();
    // A student copies W₂[0][0] from the names list, or writes W5 for w5: say which name they mean.
    const entry = matrixEntry(text);
    const near = [...k.params, ...k.nodes, symText(this.loss)].filter((s) => s.toLowerCase() === text.toLowerCase());
    let hint = '';
    if (entry && isParamOf(this.net, entry.param)) hint = `: ${text} is an entry of the matrix form, ${entry.gradient ? `∂${symText(this.loss)}/∂` : ''}${symText(this.param(entry.param))} in this net's names`;
    else if (near.length === 1) hint = `; did you mean '${near[0]}'? (names are case-sensitive)`;
    return new NotationError(field, `'${text}' is not ${what} in this net (convention ${this.convention})${hint}; parameters: ${listed(k.params)}; nodes: ${listed(k.nodes)}; loss: ${symText(this.loss)}`);
  }

  /** The unit a "from …"/"via …" label names: its label (h1), its z (z_h1) or its a (a_h1). */
  private unit(text: string, field: string): UnitId {
    const want = normalizeName(text);
    for (let l = 0; l < this.net.layers.length; l++) {
      for (let i = 0; i < this.net.layers[l].units; i++) {
        if (normalizeName(this.unitLabels[l][i]) === want) return { layer: l, unit: i };
      }
    }
    const ref = this.lookup(text);
    if (ref?.kind === 'node' && (ref.node.kind === 'z' || ref.node.kind === 'a')) return { layer: ref.node.layer, unit: ref.node.unit };
    throw new NotationError(field, `'${text}' is not a unit of this net; units: ${listed(this.unitLabels.flat())}`);
  }

  /** A parameter by name ("w5", "w¹₁₁", "∂L/∂w5" is accepted too). */
  resolveParam(text: string, field: string): ParamId {
    const ref = this.resolve(text, field);
    if (ref.kind === 'param') return ref.param;
    if (ref.kind === 'deriv' && ref.of === 'loss' && ref.wrt.kind === 'param' && !ref.via) return ref.wrt.param;
    throw this.notParam(field, text, ref);
  }

  /**
   * A name the net has that is not a parameter (ŷ, z_h1, L, check's "new w5", "δ_h1", "∂L/∂b1 from h1"): say what
   * it is and what a parameter's place takes; "did you mean 'ŷ'?" of the very name given would only confuse.
   */
  private notParam(field: string, text: string, ref: Ref): NotationError {
    const k = this.known();
    const last = this.net.layers.length - 1;
    let what: string;
    if (ref.kind === 'node' && ref.node.kind === 'a' && ref.node.layer === last) {
      what = this.net.layers[last].units > 1 ? `output ${ref.node.unit + 1}` : 'the output';
    } else if (ref.kind === 'updated') what = `${symText(this.param(ref.param))} after one SGD step (a name for check's claims)`;
    else if (ref.kind === 'deriv') what = "a derivative that is not a parameter's gradient (a name for check's claims)";
    else what = describeRef(ref);
    const p = k.params[0] ?? 'w1';
    return new NotationError(field, `'${text}' is ${what} in this net, not a parameter: give a parameter (${p}) or its gradient (∂${symText(this.loss)}/∂${p}); parameters: ${listed(k.params)}`);
  }

  /**
   * What a name means:
   *  - "L" (the loss), "η" (the learning rate), "trainable parameters" (their count);
   *  - a parameter "w5", an input "x1", a target "y", a node "z_h1", "a_h1", "ŷ";
   *  - "w5'", "w5′", "new w5": the parameter after one SGD step at the spec's lr;
   *  - "∂L/∂w5", "∂L/∂a_h1", "∂ŷ/∂z_out", "∂z_out/∂w5" (also \frac{\partial …}{\partial …});
   *    "δ_h1" is ∂L/∂z_h1;
   *  - "∂L/∂b1 from h1" (or "via h1"): only the paths through that unit.
   * Throws NotationError naming `field` and listing the names the net has.
   */
  resolve(text: string, field: string): Ref {
    if (typeof text !== 'string' || text.trim() === '') throw new NotationError(field, 'a name is needed');
    const t = text.normalize('NFC').trim();
    if (/^(?:trainable\s+parameters|#\s*parameters|parameters)$/i.test(t)) return { kind: 'count' };
    const newer = /^new\s+(.+)$/i.exec(t) ?? /^(.+?)(?:'|′|_new|⁺)$/.exec(t);
    if (newer) {
      const inner = this.resolve(newer[1], field);
      if (inner.kind !== 'param') throw new NotationError(field, `'${t}': only a parameter has an updated value (${newer[1]} is ${describeRef(inner)})`);
      return { kind: 'updated', param: inner.param };
    }
    const via = /^(.+?)\s+(?:from|via)\s+(.+)$/.exec(t);
    if (via) {
      const inner = this.resolve(via[1], field);
      if (inner.kind !== 'deriv' || inner.via) throw new NotationError(field, `'${t}': "from"/"via" qualifies a derivative, e.g. "∂${symText(this.loss)}/∂b1 from h1"`);
      return { ...inner, via: this.unit(via[2], field) };
    }
    const frac = /^\\frac\s*\{\s*\\partial\s*(.+?)\s*\}\s*\{\s*\\partial\s*(.+)\}$/.exec(t);
    const slash = /^(?:∂|\\partial\s*)(.+?)\s*\/\s*(?:∂|\\partial\s*)(.+)$/.exec(t);
    const d = frac ?? slash;
    if (d) return this.derivative(d[1], d[2], t, field);
    // δ_h1, \delta_h1, or delta_h1 (grad's word for δ): ∂L/∂z_h1.
    const delta = /^(?:δ|\\delta\s*|delta(?![A-Za-z]))(.*)$/.exec(t);
    if (delta && !this.lookup(t)) {
      for (let l = 0; l < this.net.layers.length; l++) {
        for (let i = 0; i < this.net.layers[l].units; i++) {
          if (symKeys(this.delta(l, i)).includes(normalizeName(`δ${delta[1]}`))) return { kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'z', layer: l, unit: i } } };
        }
      }
    }
    const ref = this.lookup(t);
    if (!ref) throw this.unknown(field, t);
    return ref;
  }

  private derivative(numText: string, denText: string, whole: string, field: string): Ref {
    const num = this.lookup(numText);
    const den = this.lookup(denText);
    // A lecture's loss is E (002) or J (004), the default L: ∂L/∂w31 on a net whose loss is E names the loss it means.
    if (!num && den && /^(?:L|J|E|C|loss|cost)$/i.test(numText.trim())) {
      const loss = symText(this.loss);
      throw new NotationError(field, `'${numText.trim()}' is not this net's loss (in '${whole}'): the loss is ${loss} here, so write ∂${loss}/∂${denText.trim()}`);
    }
    if (!num) throw this.unknown(field, numText, `a name (in '${whole}')`);
    if (!den) throw this.unknown(field, denText, `a name (in '${whole}')`);
    let of: 'loss' | NodeId;
    if (num.kind === 'loss') of = 'loss';
    else if (num.kind === 'node' && (num.node.kind === 'z' || num.node.kind === 'a')) of = num.node;
    else throw new NotationError(field, `'${whole}': the numerator must be the loss or a z or a of a unit, not ${describeRef(num)}`);
    let wrt: Extract<Ref, { kind: 'deriv' }>['wrt'];
    if (den.kind === 'param') wrt = { kind: 'param', param: den.param };
    else if (den.kind === 'node' && den.node.kind !== 'y') wrt = { kind: 'node', node: den.node };
    else throw new NotationError(field, `'${whole}': the denominator must be a parameter, an input or a z or a of a unit, not ${describeRef(den)}`);
    return { kind: 'deriv', of, wrt };
  }

  /** The text name of a reference (the inverse of resolve, for display). */
  name(ref: Ref): string {
    switch (ref.kind) {
      case 'loss': return symText(this.loss);
      case 'lr': return symText(this.lr);
      case 'count': return 'trainable parameters';
      case 'param': return symText(this.param(ref.param));
      case 'node': return symText(this.node(ref.node));
      case 'updated': return `${symText(this.param(ref.param))}'`;
      case 'deriv': {
        const top = ref.of === 'loss' ? symText(this.loss) : symText(this.node(ref.of));
        const bottom = ref.wrt.kind === 'param' ? symText(this.param(ref.wrt.param)) : symText(this.node(ref.wrt.node));
        return `∂${top}/∂${bottom}${ref.via ? ` from ${this.unitLabel(ref.via)}` : ''}`;
      }
    }
  }
}

/**
 * A spec's `notation` checked against its net as explain and check read it: a NotationError naming the field for a
 * bad key or value, a list of the wrong length, a bad place in params, or a name given twice; nothing without one.
 * The engine ignores notation (Model.create does not look inside it); the CLI's grad and train call this, so a spec
 * one command refuses every command refuses. It indexes every name (as explain does) where the notation names anything
 * of its own: on a 784-input net about a second. One exception: a notation of only convention, numbering or decimals
 * is indexed as none is, so a clash of a convention's own default names in a net past EAGER_NAMES names (from-to's
 * b11 at 11+ layers with a shared bias) is refused by explain's first lookup, not here — as without a notation.
 */
export function checkNotation(net: Net, notation: unknown): void {
  if (notation !== undefined) new Naming(net, notation);
}
