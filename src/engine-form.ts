/**
 * A net or parameters handed in already in the engine's form rather than as a spec's JSON: a Net written by hand for
 * the exported helpers that take one (checkNet), parameters for setParams in either form (paramsFromInput) and engine
 * Params of Float32Arrays (checkParams: setParams's typed form, a checkpoint). Each is checked as src/spec.ts checks
 * the spec form, with the same field names and messages.
 */
import { BackpropError, NonFiniteError, ShapeError, SpecError, underField } from './errors.ts';
import { copyFloat32, typedArrayKind, typedLength } from './data.ts';
import { describe, elementsOf, isObject, shapeOf } from './checks.ts';
import { checkKnownKeys } from './suggest.ts';
import { type Net, type Params, MAX_LAYERS, biasLength, checkParamKeys, madeByValidateNet, nestedParams, validateNet } from './spec.ts';

/** The keys of a Net and of its layers (src/spec.ts Net, Layer). */
const NET_KEYS = ['inputs', 'layers', 'loss', 'reduction'] as const;
const LAYER_KEYS = ['units', 'fanIn', 'activation', 'bias'] as const;

/**
 * `net` checked as a Net, for the exported helpers that take one (initParams, batchScale): a net validateNet made, or
 * one written by hand as the Net type allows. Its fields are read once and checked as validateNet checks a spec's,
 * every `fanIn` against the units below it; a spec (whose layers have no fanIn) or anything else is a SpecError
 * naming `net.…`. Returns the validated net (`linear` read as `identity`); a net validateNet made is returned as it is.
 */
export function checkNet(net: unknown): Net {
  if (isObject(net) && madeByValidateNet(net)) return net as unknown as Net;
  if (!isObject(net)) throw new SpecError('net', `must be a net {inputs, layers, loss, reduction} (validateSpec(spec).net, model.net), got ${describe(net)}`);
  const rawLayers: unknown = net.layers;
  const fanIns: unknown[] = [];
  const spec: Record<string, unknown> = { inputs: net.inputs, loss: net.loss, reduction: net.reduction, layers: rawLayers };
  if (Array.isArray(rawLayers)) {
    const layers: unknown[] = [];
    for (let l = 0; l < Math.min(rawLayers.length, MAX_LAYERS + 1); l++) {
      const raw: unknown = rawLayers[l];
      if (!isObject(raw)) layers.push(raw);
      else {
        layers.push({ units: raw.units, activation: raw.activation, bias: raw.bias });
        fanIns.push(raw.fanIn);
      }
    }
    spec.layers = rawLayers.length > MAX_LAYERS ? rawLayers : layers;
  }
  let valid: Net;
  try {
    valid = validateNet(spec);
  } catch (err) {
    throw err instanceof BackpropError ? underField('net', err) : err;
  }
  valid.layers.forEach((layer, l) => {
    if (fanIns[l] !== layer.fanIn) throw new SpecError(`net.layers[${l}].fanIn`, `must be ${layer.fanIn} (the units below it), got ${describe(fanIns[l])}`);
  });
  // Last, its keys as a Net's: a misspelt key ("reduce") is named, not dropped unread (a spec, whose layers have no
  // fanIn, is named by that above).
  checkKnownKeys(net, NET_KEYS, 'net.', `a net has ${NET_KEYS.join(', ')}`, SpecError);
  (rawLayers as Record<string, unknown>[]).forEach((raw, l) => checkKnownKeys(raw, LAYER_KEYS, `net.layers[${l}].`, `a net's layer has ${LAYER_KEYS.join(', ')}`, SpecError));
  return valid;
}

/**
 * Parameters as setParams takes them: the spec form (nested arrays) or the engine form ({W, b} of Float32Arrays, told
 * by W[0]). Each property is read once and the engine form is copied first (copyFloat32: no caller's slice, length
 * or Symbol.species), then the copy checked: shapes, then finiteness. Unknown keys are refused in both forms.
 */
export function paramsFromInput(net: Net, raw: unknown, field = 'params'): Params {
  checkParamKeys(raw, field);
  const rawW: unknown = raw.W;
  const rawB: unknown = raw.b;
  const W = elementsOf(rawW, net.layers.length);
  if (W === undefined || typedArrayKind(W[0]) !== 'Float32Array') return nestedParams(net, W ?? rawW, elementsOf(rawB, net.layers.length) ?? rawB, field);
  return typedParams(net, W, rawB, field);
}

function typedParams(net: Net, rawW: unknown[], rawB: unknown, field: string): Params {
  const B = elementsOf(rawB, net.layers.length);
  // A copy of each Float32Array of the right length (the length from %TypedArray%'s getter, which a subclass cannot
  // override); anything else is left as given for checkParams to name. Then the copies are checked.
  const copy = (v: unknown, length: number): unknown => typedArrayKind(v) === 'Float32Array' && typedLength(v) === length ? copyFloat32(v as Float32Array) : v;
  const p = {
    W: rawW.map((v, l) => copy(v, l < net.layers.length ? net.layers[l].units * net.layers[l].fanIn : -1)),
    b: B === undefined ? rawB : B.map((v, l) => copy(v, l < net.layers.length ? biasLength(net.layers[l]) : -1)),
  } as Params;
  checkParams(net, p, field);
  return p;
}

/**
 * Check engine-layout params against a net, without copying: W and b lists of Float32Arrays of the layers' sizes
 * (brand and length read through %TypedArray%'s own getters), every value finite. A ShapeError / NonFiniteError naming
 * `${field}.W[l]…`. For values the engine holds (a checkpoint being saved); a caller's values go through
 * paramsFromInput, which copies before it checks.
 */
export function checkParams(net: Net, p: Params, field = 'params'): void {
  const raw = p as unknown as Record<string, unknown> | null | undefined;
  if (typeof raw !== 'object' || raw === null) throw new SpecError(field, 'must be an object {W, b} of Float32Arrays');
  const L = net.layers.length;
  const lists = { W: elementsOf(raw.W, L), b: elementsOf(raw.b, L) };
  for (const key of ['W', 'b'] as const) {
    const list = lists[key];
    if (list === undefined || list.length !== L) throw new ShapeError(`${field}.${key}`, `one ${key === 'W' ? 'matrix' : 'entry'} per layer (${L})`, list === undefined ? shapeOf(raw[key]) : `[${list.length}]`);
  }
  net.layers.forEach((layer, l) => {
    for (const [key, length, shape] of [['W', layer.units * layer.fanIn, `${layer.units}×${layer.fanIn}`], ['b', biasLength(layer), String(biasLength(layer))]] as const) {
      const v = lists[key]![l];
      const kind = typedArrayKind(v);
      const n = kind ? typedLength(v) : undefined;
      if (kind !== 'Float32Array' || n !== length) throw new ShapeError(`${field}.${key}[${l}]`, `Float32Array(${shape})`, kind ? `${kind}(${n})` : shapeOf(v));
      const a = v as Float32Array;
      for (let k = 0; k < length; k++) {
        if (!Number.isFinite(a[k])) {
          throw new NonFiniteError(key === 'W' ? `${field}.W[${l}][${Math.floor(k / layer.fanIn)}][${k % layer.fanIn}]` : `${field}.b[${l}][${k}]`, a[k]);
        }
      }
    }
  });
}

