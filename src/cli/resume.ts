/**
 * `backprop train --resume CKPT`: the run a checkpoint continues. A checkpoint holds the net, its parameters, the
 * optimiser (settings and state), the run fields (batchSize, shuffle, validation) and the epochs trained
 * (src/train/checkpoint.ts), but no data; so the checkpoints `train --save` writes carry one more metadata entry,
 * `run` (RunRecord): the data the run trained on (`"mnist"`, or the spec's own x and y) and the epoch it was to end
 * at. Model.load ignores it; loadCheckpoint returns it with the file's other metadata.
 */
import { getBudget } from '../budget.ts';
import { isObject } from '../checks.ts';
import { checkKnownKeys } from '../suggest.ts';
import { BackpropError, SpecError } from '../errors.ts';
import { type NetworkSpec, paramsToSpec } from '../spec.ts';
import { loadCheckpoint } from '../train/checkpoint.ts';
import { decodeSafetensors, encodeSafetensors, isSafetensors, startsAsSafetensors } from '../train/safetensors.ts';
import { InputError, readCapped } from './io.ts';

/** The metadata key of the run record in a checkpoint `train --save` writes. */
export const RUN_KEY = 'run';

/** What `train --save` adds to its checkpoint: the run's data, and the epoch the run was to end at (`until`). */
export interface RunRecord {
  /** `"mnist"` (--data mnist), or the spec file's x and y as they were given (rows, or {examples, data}). */
  data: 'mnist' | { x: unknown; y: unknown };
  /** The last epoch of the command that wrote it (the epochs trained before it + its --epochs). */
  until: number;
}

/**
 * `bytes` (a checkpoint, as Model.save writes it) with the run record added to its metadata, and the spec's `name`
 * (when it has one) to its stored spec — a key a checkpoint's spec may hold, which Model.save does not write (it keeps
 * the net and the run fields): a resumed run's plot is titled with it as the run's first plot was. The tensors as they are.
 * NOTE: the file is decoded and encoded again (once a command): fit's Model.save wrote it, on the WebGPU route in the
 * browser page, and writing the record there (saveCheckpoint's `metadata`) would need Model.save to take metadata and
 * fit's payload to carry the record (the spec's x, y once more) to the page.
 */
export function withRunRecord(bytes: Uint8Array, record: RunRecord, name?: string): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const named: Record<string, string> = name === undefined || metadata.spec === undefined ? {} : { spec: JSON.stringify({ name, ...(JSON.parse(metadata.spec) as object) }) };
  return encodeSafetensors(tensors, { ...metadata, ...named, [RUN_KEY]: JSON.stringify(record) });
}

/** A checkpoint read for --resume: its stored spec, the epochs trained, its run record (if it has one), the bytes in base64. */
export interface Resumed {
  /** The checkpoint's spec (net, lr, run fields; no data) and its parameters as `params` (a model made from it holds them before the restore). */
  spec: NetworkSpec;
  /** The epochs it has trained (the metadata `epochs`). */
  trained: number;
  /** The run record, absent in a checkpoint that Model.save wrote (or a train --save before --resume existed). */
  record?: RunRecord;
  /** The file's bytes in base64, as fit's payload carries them to the model (src/browser/plain.ts fitModel). */
  base64: string;
}

/** The run record of `metadata`, checked: a SpecError naming checkpoint.run (the field in it) when it is not one. */
function readRecord(text: string | undefined, trained: number): RunRecord | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SpecError(`checkpoint.${RUN_KEY}`, 'the metadata run is not valid JSON');
  }
  if (!isObject(raw)) throw new SpecError(`checkpoint.${RUN_KEY}`, 'must be a JSON object {data, until}');
  checkKnownKeys(raw, ['data', 'until'], `checkpoint.${RUN_KEY}.`, 'the run record has data, until', SpecError);
  const { data, until } = raw;
  if (data !== 'mnist' && !(isObject(data) && data.x !== undefined && data.y !== undefined)) {
    throw new SpecError(`checkpoint.${RUN_KEY}.data`, 'must be "mnist" or {x, y} (the spec\'s data)');
  }
  if (isObject(data)) checkKnownKeys(data, ['x', 'y'], `checkpoint.${RUN_KEY}.data.`, "the run's data has x, y", SpecError);
  if (!Number.isSafeInteger(until) || (until as number) < trained) {
    throw new SpecError(`checkpoint.${RUN_KEY}.until`, `must be an integer ≥ the epochs trained (${trained}), ${until === undefined ? 'missing' : `got ${JSON.stringify(until)}`}`);
  }
  return { data: data === 'mnist' ? data : { x: data.x, y: data.y }, until: until as number };
}

/**
 * The checkpoint `file` (--resume), read (up to the budget's fileBytes) and checked whole as Model.load checks it
 * (errors naming checkpoint…), its run record too. A file that is no safetensors file (a spec file given to
 * --resume) is an InputError naming the flag; one that starts as one but is cut short in its header (a copy stopped
 * early) gets Model.load's error, `… (truncated?)`, not that.
 */
export function readResume(file: string): Resumed {
  const bytes = readCapped(file);
  if (!isSafetensors(bytes) && !startsAsSafetensors(bytes)) {
    throw new InputError(`--resume ${file}: not a checkpoint (the safetensors file train --save writes); a spec file is given as SPEC.json, without --resume`);
  }
  const budget = getBudget();
  let ck: ReturnType<typeof loadCheckpoint>;
  try {
    ck = loadCheckpoint(bytes, undefined, budget);
  } catch (err) {
    if (err instanceof BackpropError && err.field === 'checkpoint') throw new InputError(`--resume ${file}: ${err.message}`);
    throw err;
  }
  const record = readRecord(ck.metadata[RUN_KEY], ck.epochs);
  return { spec: { ...ck.spec, params: paramsToSpec(ck.net, ck.params) }, trained: ck.epochs, ...(record ? { record } : {}), base64: bytes.toString('base64') };
}
