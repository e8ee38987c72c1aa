/**
 * Named errors. Every error the engine throws on purpose is a BackpropError with a stable `code`,
 * and, where it is about input, the `field` it is about ("layers[1].activation", "x[3][0]", "params.W[0]").
 * Input errors are thrown before any GPU work and leave the model's state unchanged.
 */
import { movedError } from './moved-error.ts';
import { cutText } from './suggest.ts';

/**
 * The most of a field an error names (`field`, and the message that starts with it): a longer one is cut with "…"
 * (shownField). NOTE: a field holds keys and names from the input — a tensor's name in a file, a metadata key — and a
 * megabyte-long one made a megabyte message and log line. An unknown key is cut sooner, with its length (suggest.ts
 * unknownKeyError).
 */
const FIELD_SHOWN = 200;

/** `field` as an error names it: whole up to FIELD_SHOWN characters, else cut (suggest.ts cutText). */
function shownField(field: string): string {
  return cutText(field, FIELD_SHOWN);
}

/** The stable `code` of a BackpropError, one per kind of error (README, "Errors"). */
export type ErrorCode =
  | 'SPEC' // malformed network spec: a missing, unknown or mistyped field
  | 'SHAPE' // an array of the wrong shape
  | 'NON_FINITE' // NaN or ±Inf in x, y or params
  | 'LABEL_RANGE' // a BCE / cross-entropy label outside [0, 1]
  | 'EMPTY_BATCH' // zero examples
  | 'DIVERGED' // the loss, a parameter or an optimiser-state value became non-finite (train, step, fit, grad's loss)
  | 'DISPOSED' // the model (or its backend) was disposed
  | 'BUSY' // a call that would wait for a fit that waits for it (made while fit awaits onEpoch)
  | 'WEBGPU_UNAVAILABLE' // no navigator.gpu, no adapter, or requestDevice failed
  | 'WASM_UNAVAILABLE' // no WebAssembly SIMD here (the wasm backend needs it)
  | 'WASM_THREAD' // a thread of a multi-thread wasm run (a worker or the calling thread) failed
  | 'DEVICE_LOST' // the GPU device was lost
  | 'SHADER_COMPILE' // a WGSL module failed to compile
  | 'GPU_VALIDATION' // a WebGPU validation error was caught in an error scope
  | 'LIMIT' // past a limit: the device's buffer limits, the resource budget, a file's size, layers, wasm's memory
  | 'BROWSER' // no Chromium to run WebGPU in (Node side)
  | 'NOTATION' // a name that does not resolve, or bad notation settings (src/notation/)
  | 'CLAIM'; // a worked-example file that is malformed: a claim without a value, a bad erratum (src/worked/)

/** The base of every error the engine throws on purpose (README, "Errors"): `code` says which kind, `field` the input it is about. */
export class BackpropError extends Error {
  /** Stable machine-readable kind ('SPEC', 'SHAPE', 'DIVERGED', …); the CLI prints it as `error [CODE]`. */
  readonly code: ErrorCode;
  /** The input this error is about ("layers[1].activation", "x[3][0]", "params.W[0]"); undefined for errors not about an input. */
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'BackpropError';
    this.code = code;
    this.field = field;
  }
}

/**
 * `err` re-rooted under `prefix`: the same class, code and properties, its field `prefix.field` (`prefix` when it had
 * none) and its message naming that field ("batchSize: …" → "fit.batchSize: …"; a message that does not start with
 * its field gets "prefix.field: " in front). For an input nested in a larger one (a worked file's spec, a link's fit).
 * `separator` joins prefix and field: '.' within one JSON value; the CLI puts a file in front with ': '
 * ("C.json: claims[3] ("∂L/∂w9").name: …", as it names a file in its other errors: "C.json: no such file").
 */
export function underField<E extends BackpropError>(prefix: string, err: E, separator = '.'): E {
  const field = err.field ? `${prefix}${separator}${err.field}` : prefix;
  const message = err.field && err.message.startsWith(err.field) ? `${prefix}${separator}${err.message}` : `${field}: ${err.message}`;
  return movedError(BackpropError, err, field, message);
}

/** A field of the network spec is missing, unknown or of the wrong type or value. */
export class SpecError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string, message: string) {
    field = shownField(field);
    super('SPEC', `${field}: ${message}`, field);
    this.name = 'SpecError';
  }
}

/** An array does not have the shape the network needs. */
export class ShapeError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  /** The shape the network needs, e.g. "[2][2]". */
  readonly expected: string;
  /** The shape that was given, e.g. "[1][2]" (deep nesting cut with …). */
  readonly actual: string;
  /**
   * `missing`: the words for an input left out (undefined or null), which then make the message in place of "got
   * undefined": `y: missing — evaluate needs the labels (expected shape [examples][2])` (src/data.ts checkGiven).
   */
  constructor(field: string, expected: string, actual: string, missing?: string) {
    field = shownField(field);
    super('SHAPE', missing === undefined ? `${field}: expected shape ${expected}, got ${actual}` : `${field}: missing — ${missing}`, field);
    this.name = 'ShapeError';
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * NaN or ±Inf where a finite number is needed, or a number outside the float32 range (|v| > 3.4028235e38, which
 * float32 storage would turn into ±Infinity). `field` names the element, e.g. "x[3][1]".
 */
export class NonFiniteError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string, value: number, rule = 'every value must be finite') {
    field = shownField(field);
    super('NON_FINITE', `${field} is ${value}; ${rule}`, field);
    this.name = 'NonFiniteError';
  }
}

/** A `bce` / cross-entropy label y outside [0, 1], or a cross-entropy label row that does not sum to 1; `field` names the element ("y[2][0]"). */
export class LabelRangeError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string, value: number, loss: string, rule = 'needs labels in [0, 1]') {
    field = shownField(field);
    super('LABEL_RANGE', `${field} is ${value}; ${loss} ${rule}`, field);
    this.name = 'LabelRangeError';
  }
}

/** x and y with zero examples; `field` names the empty input. */
export class EmptyBatchError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string) {
    field = shownField(field);
    super('EMPTY_BATCH', `${field}: the batch is empty; give at least one example`, field);
    this.name = 'EmptyBatchError';
  }
}

/**
 * The loss, or a parameter after an update, became NaN or ±Inf. The parameters are restored to those before the
 * call (checked: they are finite). `maxAbs` is max |θ| after the call's last update (Infinity: a parameter was
 * not finite), or undefined when no update ran or when the loss or an optimiser state slot, not a parameter, is what
 * was found non-finite (fit checks the epoch's loss and its state slots too). `updates` false: a call that makes no update (grad) — the message
 * says the loss is not finite and the parameters are unchanged, not that training diverged.
 */
export class DivergedError extends BackpropError {
  /** The non-finite loss the backend computed (test `Number.isFinite`, not `isNaN`: the CPU's float64 sum may give Infinity where wasm and WebGPU give NaN), or the finite loss before a parameter or state slot diverged. */
  readonly loss: number;
  /** max |θ| over W and b after the call's last update (Infinity: a parameter was not finite); undefined when no update ran, or when the loss or a state slot is what diverged. */
  readonly maxAbs: number | undefined;
  /** The optimiser state slot that became ±Infinity or NaN (fit: 'm', 'v', 'buf'), where that was what diverged. */
  readonly slot: string | undefined;
  constructor(loss: number, detail: string, { maxAbs, slot: stateSlot, updates = true }: {
    /** max |θ| after the call's last update (`maxAbs`); omitted when no update ran, or when the loss or a state slot diverged. */
    maxAbs?: number;
    /** The optimiser state slot that diverged (`slot`). */
    slot?: string;
    /** false: the call makes no update (grad), and the message says so (default true). */
    updates?: boolean;
  } = {}) {
    const what = !Number.isFinite(loss) ? `the loss is ${loss}`
      : stateSlot ? `the optimiser's ${stateSlot} state became ±Infinity or NaN (the loss was ${loss}; the parameters stay finite, but no longer train)`
        : `a parameter became ±Infinity or NaN in the update (the loss before it was ${loss})`;
    super('DIVERGED', updates
      ? `training diverged: ${what} (${detail}); the parameters were restored to those before the call`
      : `the loss is not finite: ${loss} (${detail}), so there are no gradients; nothing was updated (the parameters are unchanged)`);
    this.name = 'DivergedError';
    this.loss = loss;
    this.maxAbs = maxAbs;
    this.slot = stateSlot;
  }
}

/** The model or backend was disposed (also for a call queued before `dispose()` that had not started); create a new one. */
export class DisposedError extends BackpropError {
  constructor(what: string) {
    super('DISPOSED', `${what} was disposed; create a new one`);
    this.name = 'DisposedError';
  }
}

/**
 * A call that changes the model (train, step, grad, fit, setParams, restore, rebuild) made while a fit awaits its
 * onEpoch: it would queue behind that fit, which waits for onEpoch — a deadlock if onEpoch awaited it. Nothing changed.
 */
export class BusyError extends BackpropError {
  constructor() {
    super('BUSY', 'a fit is waiting for its onEpoch: a call that changes the model would wait for that fit; make it after fit resolves (getParams, save, predict and evaluate run inside onEpoch)');
    this.name = 'BusyError';
  }
}

/**
 * Why WebGPU is unavailable, for code that acts on it (the CLI reruns on SwiftShader only for 'no-adapter'):
 * 'no-webgpu' no navigator.gpu, or in Node the Dawn package does not load; 'no-adapter' requestAdapter gave null;
 * 'adapter-failed' requestAdapter threw; 'device' requestDevice failed. Undefined where none of these was told.
 */
export type WebGPUUnavailableReason = 'no-webgpu' | 'no-adapter' | 'adapter-failed' | 'device';

/** No `navigator.gpu` (Node, or a browser without WebGPU), no adapter, or `requestDevice` failed; the message says why. */
export class WebGPUUnavailableError extends BackpropError {
  /** Why, where it is known: 'no-webgpu', 'no-adapter', 'adapter-failed' or 'device'; undefined where none of these was told. */
  readonly reason: WebGPUUnavailableReason | undefined;
  /** The words of the message after "WebGPU is unavailable: ": why, for a line that says the rest in its own words. */
  readonly detail: string;
  constructor(detail: string, reason?: WebGPUUnavailableReason) {
    super('WEBGPU_UNAVAILABLE', `WebGPU is unavailable: ${detail}`);
    this.name = 'WebGPUUnavailableError';
    this.reason = reason;
    this.detail = detail;
  }
}

/** No WebAssembly SIMD here (or relaxed SIMD asked for where there is none): the wasm backend needs it. */
export class WasmUnavailableError extends BackpropError {
  constructor(reason: string) {
    super('WASM_UNAVAILABLE', `WebAssembly SIMD is unavailable: ${reason}`);
    this.name = 'WasmUnavailableError';
  }
}

/**
 * A thread of the wasm backend failed during a run: `thread` 0 is the calling thread, 1 … threads−1 its workers,
 * −1 a worker that cannot be told (`stalled` inside a barrier: ./wasm/barrier.ts).
 * The others were stopped and waited for; the net's arrays (parameters included) are as the partial run left them.
 * `disposed`: they did not all stop in time, so the backend was disposed (its workers ended; later calls throw
 * DisposedError); otherwise the net may run again.
 * `betweenRuns`: a worker ended or failed outside any run (WasmBackend.lostWorker); the run that throws this did not
 * start (nothing changed) and the backend was disposed (`disposed` is true).
 */
export class WasmThreadError extends BackpropError {
  /** The thread that failed: 0 the calling thread, 1 … threads−1 a worker, −1 a worker that cannot be told. */
  readonly thread: number;
  /** How many threads the run had (the calling thread and its workers). */
  readonly threads: number;
  /** The other threads did not stop in time, so the backend was disposed (later calls throw DisposedError); false: the net may run again. */
  readonly disposed: boolean;
  /** A worker ended or failed outside any run: the run that throws this did not start (nothing changed) and the backend was disposed. */
  readonly betweenRuns: boolean;
  /** The thread stopped arriving at the barriers during the run (it died, or is stuck): the run was given up. */
  readonly stalled: boolean;
  constructor(thread: number, threads: number, message: string, disposed: boolean, options?: {
    /** What the thread threw, kept as the error's `cause`. */
    cause?: unknown;
    /** A worker was lost outside any run (`betweenRuns`; default false). */
    betweenRuns?: boolean;
    /** The thread stopped arriving at the barriers (`stalled`; default false). */
    stalled?: boolean;
  }) {
    const who = thread === 0 ? `thread 0 of ${threads} (the calling thread)`
      : thread < 0 ? `one of the ${threads - 1} workers (which one cannot be told)` : `thread ${thread} of ${threads} (a worker)`;
    const betweenRuns = options?.betweenRuns === true;
    const stalled = options?.stalled === true;
    const after = betweenRuns
      ? 'the run did not start; the backend was disposed (its other workers ended); create a new one'
      : stalled
        ? 'the run was given up and the backend disposed (its workers ended); create a new one'
        : disposed
        ? 'the other threads did not leave the run in time, so the backend was disposed; create a new one'
        : 'the other threads have left the run; the net may run again, its arrays (parameters included) are as the partial run left them';
    super('WASM_THREAD', `${betweenRuns ? 'a wasm worker was lost between runs' : 'a wasm thread failed during a run'}: ${who}: ${message}; ${after}`);
    this.name = 'WasmThreadError';
    this.thread = thread;
    this.threads = threads;
    this.disposed = disposed;
    this.betweenRuns = betweenRuns;
    this.stalled = stalled;
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/** The GPU device was lost; `Model.lastKnownParams()` (the CPU copy of W and b) and `Model.rebuild()` go on. */
export class DeviceLostError extends BackpropError {
  /** The `GPUDeviceLostInfo.reason` WebGPU gave ('destroyed', 'unknown'). */
  readonly reason: string;
  constructor(reason: string, message: string) {
    super('DEVICE_LOST', `the GPU device was lost (${reason}): ${message}`);
    this.name = 'DeviceLostError';
    this.reason = reason;
  }
}

/** A WGSL module did not compile; the message has file:line:col, `field` the module's label. */
export class ShaderCompileError extends BackpropError {
  constructor(label: string, messages: string) {
    super('SHADER_COMPILE', `WGSL compile error in ${label}:\n${messages}`, label);
    this.name = 'ShaderCompileError';
  }
}

/** WebGPU reported a validation, out-of-memory or internal error in an error scope. */
export class GpuValidationError extends BackpropError {
  constructor(what: string, message: string) {
    super('GPU_VALIDATION', `WebGPU validation error during ${what}: ${message}`);
    this.name = 'GpuValidationError';
  }
}

/** Past a limit: the resource budget, a device limit, a spec file's size, more than 1000 layers, wasm's memory, a subgroup variant without the `subgroups` feature; `field` names the input, the message the bytes needed and the limit. */
export class LimitError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string, message: string) {
    field = shownField(field);
    super('LIMIT', `${field}: ${message}`, field);
    this.name = 'LimitError';
  }
}

/**
 * The scalar notation cannot do what was asked: a parameter or node name that this net does not have, bad
 * `notation` settings in a spec, or an expansion too large to enumerate. `field` names the input
 * ("--param", "notation.z[1][0]", "claims[3].name").
 */
export class NotationError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string, message: string) {
    field = shownField(field);
    super('NOTATION', `${field}: ${message}`, field);
    this.name = 'NotationError';
  }
}

/** A worked-example file is malformed: a claim without a value, an unknown key, an erratum without its correction. */
export class ClaimError extends BackpropError {
  /** Always set: the input this error is about. */
  declare readonly field: string;
  constructor(field: string, message: string) {
    field = shownField(field);
    super('CLAIM', `${field}: ${message}`, field);
    this.name = 'ClaimError';
  }
}
