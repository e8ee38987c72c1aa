/**
 * The reliability checklist's items 8, 10, 12 and 13 for the Model's calls on WebGPU in Node on Dawn (test/dawn/run.ts;
 * the browser tests check train, getParams and a bare net's read, test/dawn/run.ts fit's and getParams'):
 * - bindingLimits (item 8): the device was made with the adapter's maxStorageBufferBindingSize and maxBufferSize (not
 *   WebGPU's default 128 MiB where the adapter offers more: SwiftShader 1 GiB), and a layer's W or a batch's X past
 *   them is a LimitError naming layers[0] or x from compile and trainer, before any buffer is made (the browser tests
 *   check data sets past it through fit, predict and evaluate);
 * - disposeDuringReads (item 12): the model, or its backend, disposed while predict, evaluate, step or grad is
 *   reading back (as its first mapAsync has started): the call rejects with DisposedError, a second dispose() is a
 *   no-op, and a model made on the same backend afterwards (model disposed) trains;
 * - liveBuffersSteady (item 13): cycles of every call (test/lib/lifecycle-net.ts everyCall: fit at two batch sizes,
 *   predict, evaluate, save, restore, train, grad, step, getParams) — 5 160 steps over the 20 cycles after warm-up —
 *   keep the live buffers (created − destroyed) constant; none left after dispose;
 * - lostDuringReads, lostDeviceCalls (item 10): the device lost while predict, evaluate, step, grad, getParams or fit
 *   reads back, and after the loss every call that needs it (step, grad, train, predict, evaluate, fit, restore,
 *   setParams; getParams after a step): DeviceLostError, while save after a step answers from the CPU copy;
 *   lastKnownParams() keeps the CPU copy, and rebuild() onto the CPU trains from it;
 * - failuresHoldNothing: a failed read on a live device (WebGpuBackend.failure) leaves no reaction on device.lost;
 * - gpuErrorCalls: a GPU error in train, grad, fit or predict (a buffer invalid as out of memory, or destroyed):
 *   GpuValidationError naming the call, the model as before it, a model beside it on the backend unaffected; a train
 *   or step after unread train() steps, a fit stopped after a GPU error, a fit queued behind a failing train.
 * Each returns what went wrong, one a line (none: passed). No vitest here.
 */
import { Model } from '../../src/model.ts';
import { type NetworkSpec, paramsToSpec } from '../../src/spec.ts';
import { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { getGpu } from '../../src/webgpu/gpu.ts';
import { BackpropError, DeviceLostError } from '../../src/errors.ts';
import { loadCheckpoint } from '../../src/train/checkpoint.ts';
import { bits } from '../lib/fit-nets.ts';
import { everyCall } from '../lib/lifecycle-net.ts';

const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1,
  x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]],
};
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[0], [1], [1], [0]];
const nameOf = (e: unknown): string => (e instanceof Error ? e.name : String(e));
const settled = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', nameOf);

const READS = {
  predict: (m: Model) => m.predict(X),
  evaluate: (m: Model) => m.evaluate(X, Y),
  step: (m: Model) => m.step(),
  grad: (m: Model) => m.grad(),
};

/** `own`'s next mapAsync calls `then` once it has started (a caller's dispose() comes after mapAsync returned). */
function onFirstMap(own: WebGpuBackend): { arm: (then: () => void) => void; maps: () => number } {
  const create = own.device.createBuffer.bind(own.device);
  let maps = 0;
  let pending: (() => void) | undefined;
  own.device.createBuffer = (d: GPUBufferDescriptor) => {
    const buffer = create(d);
    const map = buffer.mapAsync.bind(buffer);
    buffer.mapAsync = (...a: Parameters<GPUBuffer['mapAsync']>) => {
      const started = map(...a);
      maps++;
      const then = pending;
      pending = undefined;
      if (then) queueMicrotask(then);
      return started;
    };
    return buffer;
  };
  return { arm: (then) => void (pending = then), maps: () => maps };
}

/**
 * Item 12 for predict, evaluate, step and grad: dispose() of the model (its models on one backend, which goes on), or
 * of its backend (one each), while the call reads back.
 */
export async function disposeDuringReads(): Promise<string[]> {
  const problems: string[] = [];
  for (const what of ['model', 'backend'] as const) {
    let own = await WebGpuBackend.create();
    let hook = onFirstMap(own);
    for (const [call, run] of Object.entries(READS)) {
      if (what === 'backend' && own.isDisposed) [own, hook] = await WebGpuBackend.create().then((b) => [b, onFirstMap(b)] as const);
      const m = await Model.create(SPEC, { shared: own });
      await m.train({ steps: 2 });
      const before = hook.maps();
      hook.arm(() => (what === 'model' ? m.dispose() : own.dispose()));
      const end = await settled(run(m));
      let again = 'no-op';
      try {
        m.dispose();
        if (what === 'backend') own.dispose(); // idempotent too
      } catch (e) {
        again = String(e);
      }
      // The backend goes on after a model of its own was disposed mid-read: a new model on it trains.
      const after = what === 'backend' ? 'resolved' : await settled((async () => {
        const next = await Model.create(SPEC, { shared: own });
        try {
          const { loss } = await next.train({ steps: 2 });
          if (!Number.isFinite(loss)) throw new Error(`loss ${loss}`);
        } finally {
          next.dispose();
        }
      })());
      await new Promise((r) => setTimeout(r, 20)); // the destroys that wait for a map
      if (`${end} ${again} ${hook.maps() > before} ${after}` !== 'DisposedError no-op true resolved') {
        problems.push(`${call}: its ${what} disposed while it read back: ${end} (want DisposedError), a second dispose ${again}, maps started ${hook.maps() - before}, a new model on the backend ${after}`);
      }
    }
    own.dispose();
  }
  return problems;
}

/**
 * Item 10 while a call is in flight: the device destroyed as predict, evaluate, step, grad, getParams (after train) or
 * fit starts its first map: the call rejects with DeviceLostError, nothing unhandled, lastKnownParams() as before the
 * call, and rebuild() onto the CPU goes on from it.
 */
export async function lostDuringReads(): Promise<string[]> {
  const problems: string[] = [];
  const calls: Record<string, (m: Model) => Promise<unknown>> = { ...READS, getParams: (m) => m.getParams(), fit: (m) => m.fit({ x: X, y: Y, epochs: 1, batchSize: 2 }) };
  for (const [call, run] of Object.entries(calls)) {
    const own = await WebGpuBackend.create();
    const hook = onFirstMap(own);
    const m = await Model.create(SPEC, { shared: own });
    await m.train({ steps: 2 });
    await m.getParams(); // the CPU copy: after 2 steps (a train since would leave steps to read back)
    await m.train({ steps: 1 });
    const [copy, before] = [bits(m.lastKnownParams().params), hook.maps()];
    hook.arm(() => own.device.destroy());
    const end = await settled(run(m));
    const mapped = hook.maps() > before;
    const kept = bits(m.lastKnownParams().params) === copy;
    const onCpu = await settled(m.rebuild({ backend: 'cpu' }).then(async (r) => {
      try {
        if (bits(await r.getParams()) !== copy) throw new Error('not from the CPU copy');
        await r.train({ steps: 2 });
      } finally {
        r.dispose();
      }
    }));
    own.dispose();
    if (`${end} ${mapped} ${kept} ${onCpu}` !== 'DeviceLostError true true resolved') {
      problems.push(`${call}: the device lost while it read back: ${end} (want DeviceLostError), a map ${mapped ? '' : 'not '}started, the CPU copy ${kept ? 'kept' : 'changed'}, rebuild onto the CPU ${onCpu}`);
    }
  }
  return problems;
}

/** Item 13 for every call of the Model: live buffers constant over cycles of them after warm-up, none after dispose. */
export async function liveBuffersSteady(): Promise<string[]> {
  const own = await WebGpuBackend.create();
  const live = () => own.buffers.created - own.buffers.destroyed;
  const start = live();
  const m = await Model.create(SPEC, { shared: own });
  const ck = await m.save();
  // 2·⌈3 / 2⌉ + 250 + 2 + ⌈4 / 3⌉ = 258 steps a cycle (everyCall).
  const cycle = (): Promise<void> => everyCall(m, X, Y, ck, 2, 250);
  await cycle();
  await cycle();
  const warm = live();
  const counts: number[] = [];
  for (let k = 0; k < 20; k++) {
    await cycle();
    counts.push(live());
  }
  m.dispose();
  const left = live() - start;
  own.dispose();
  const problems: string[] = [];
  if (counts.some((c) => c !== warm)) problems.push(`live buffers over 20 cycles (5 160 steps) after warm-up ${warm}: ${counts.join(', ')}`);
  if (left !== 0) problems.push(`${left} buffers left after dispose`);
  return problems;
}

/** Item 10 for every call that needs the device: DeviceLostError, the CPU copy kept, rebuild() onto the CPU goes on from it. */
export async function lostDeviceCalls(): Promise<string[]> {
  const own = await WebGpuBackend.create();
  const m = await Model.create(SPEC, { shared: own });
  await m.fit({ x: X, y: Y, epochs: 1, batchSize: 2, optimizer: 'adam' });
  const ck = await m.save();
  await m.step(); // the CPU copy: read back by step
  const copy = m.lastKnownParams().params;
  own.device.destroy();
  await own.device.lost;
  const calls: [string, () => Promise<unknown>][] = [
    ['step', () => m.step()], ['grad', () => m.grad()], ['train', () => m.train({ steps: 1 })], ['predict', () => m.predict(X)],
    ['evaluate', () => m.evaluate(X, Y)], ['fit', () => m.fit({ x: X, y: Y, epochs: 1 })], ['restore', () => m.restore(ck)],
    ['setParams', () => m.setParams(copy)],
  ];
  const problems: string[] = [];
  // README "Errors": save() reads the step net back only for train() steps the CPU copy lacks (none after step(), which
  // read its result back): it answers from that copy; getParams() reads the step net back whenever there is one.
  const saved = await m.save().catch(nameOf);
  if (typeof saved === 'string' || bits(loadCheckpoint(saved).params) !== bits(copy)) problems.push(`save after a step, the device lost: ${typeof saved === 'string' ? saved : 'another copy'} (want the CPU copy)`);
  const read = await settled(m.getParams());
  if (read !== 'DeviceLostError') problems.push(`getParams after a step, the device lost: ${read} (want DeviceLostError: it reads the step net)`);
  for (const [call, run] of calls) {
    const end = await settled(run());
    if (end !== 'DeviceLostError') problems.push(`${call} after the device was lost: ${end} (want DeviceLostError)`);
  }
  if (bits(m.lastKnownParams().params) !== bits(copy)) problems.push('lastKnownParams() changed by the calls after the loss');
  const onCpu = await m.rebuild({ backend: 'cpu' });
  const twin = await Model.create({ ...SPEC, init: undefined, params: paramsToSpec(m.net, copy) }, { backend: 'cpu' });
  const [a, b] = [await onCpu.train({ steps: 3 }), await twin.train({ steps: 3 })];
  if (a.loss !== b.loss || bits(await onCpu.getParams()) !== bits(await twin.getParams())) problems.push(`rebuild onto the CPU after the loss: train(3) loss ${a.loss}, a CPU model from the copy ${b.loss}`);
  onCpu.dispose();
  twin.dispose();
  own.dispose();
  return problems;
}

/** Item 8: the adapter's binding limits requested; a W or an X past them refused before any buffer. */
export async function bindingLimits(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const adapter = await (await getGpu()).gpu.requestAdapter();
  const want = [adapter?.limits.maxStorageBufferBindingSize, adapter?.limits.maxBufferSize];
  const got = [shared.limits.maxStorageBufferBindingSize, shared.limits.maxBufferSize];
  if (got.join() !== want.join()) problems.push(`device limits ${got.join(', ')}, the adapter's ${want.join(', ')}`);
  const limit = shared.maxBindingBytes;
  // W of units × fanIn just past the limit (fanIn 4096); X of 4 inputs × n just past it.
  const fanIn = 4096;
  const units = Math.floor(limit / (4 * fanIn)) + 1;
  const wide = { inputs: fanIn, layers: [{ units, fanIn, activation: 'identity' as const, bias: 'none' as const }], loss: 'mse' as const, reduction: 'mean' as const };
  const long = { inputs: 4, layers: [{ units: 1, fanIn: 4, activation: 'identity' as const, bias: 'per-unit' as const }], loss: 'mse' as const, reduction: 'mean' as const };
  const n = Math.floor(limit / 16) + 1;
  const cases: [string, string, () => { dispose(): void }][] = [
    [`compile, W ${units} × ${fanIn}`, 'LIMIT layers[0]', () => shared.compile(wide, 1)],
    [`trainer, W ${units} × ${fanIn}`, 'LIMIT layers[0]', () => shared.trainer(wide, 1, 'adam')],
    [`compile, X 4 × ${n}`, 'LIMIT x', () => shared.compile(long, n)],
    [`trainer, X 4 × ${n}`, 'LIMIT x', () => shared.trainer(long, n, 'sgd')],
  ];
  for (const [what, want, make] of cases) {
    const before = shared.buffers.created;
    let end = 'made';
    try {
      make().dispose();
    } catch (e) {
      end = e instanceof BackpropError ? `${e.code} ${e.field}` : String(e);
    }
    if (end !== want || shared.buffers.created !== before) problems.push(`${what}: ${end} (want ${want}), ${shared.buffers.created - before} buffers made (want 0)`);
  }
  return problems;
}

/**
 * A GPU error during a Model call (WebGpuBackend.watchErrors, src/calls.ts gpuWatched): a buffer the call makes comes
 * out invalid, with a validation error, as one the device is out of memory for does (the backend's createBuffer asked
 * for it past maxBufferSize: `failAt` its label) — train's new step net (a batch of another size), fit's and predict's
 * trainer — or the step net's parameters destroyed before grad. The call rejects with GpuValidationError (GPU_VALIDATION)
 * naming it; the model is as before the call (its CPU copy, no steps counted, its epochs, getParams), and the next call
 * runs as on a twin from those parameters that never failed (the nets the error left are not reused). A model beside
 * it on the backend trains at the same time (its train called right after the failing call): it resolves, bitwise as
 * alone (the error is not its, nor does the failing call miss it: the backend's error sections, one at a time). Then
 * the cases below (unread train() steps, a stop, a fit queued behind). Inside withErrorScopes, the call's own error
 * comes out.
 */
export async function gpuErrorCalls(shared: WebGpuBackend): Promise<string[]> {
  const problems: string[] = [];
  const create = shared.createBuffer.bind(shared);
  let failAt: RegExp | null = null;
  /** The buffer made last under each label. */
  const made = new Map<string, GPUBuffer>();
  shared.createBuffer = (label, size, usage) => {
    const invalid = failAt?.test(label) === true;
    if (invalid) failAt = null;
    const buffer = create(label, invalid ? shared.limits.maxBufferSize + 4096 : size, usage);
    made.set(label, buffer);
    return buffer;
  };
  const ended = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e) => (e instanceof BackpropError ? `${e.code} ${/during (\w+)/.exec(e.message)?.[1]}` : nameOf(e)));
  const cases: [string, RegExp | null, (m: Model) => Promise<unknown>, (m: Model) => Promise<unknown>][] = [
    ['train', /^params \(every/, (m) => m.train({ steps: 3, x: X.slice(0, 3), y: Y.slice(0, 3) }), async (m) => [await m.train({ steps: 2 }), bits(await m.getParams())]],
    ['grad', null, (m) => m.grad(), async (m) => (await m.grad()).loss],
    ['fit', /./, (m) => m.fit({ x: X, y: Y, epochs: 2, batchSize: 2 }), async (m) => [(await m.fit({ x: X, y: Y, epochs: 1, batchSize: 2 })).map((e) => [e.epoch, e.loss]), bits(await m.getParams()), m.epochsTrained]],
    ['predict', /./, (m) => m.predict(X), (m) => m.predict(X)],
  ];
  // The model beside: 1 step (its step net and staging buffers made: it makes no buffer while failAt waits), then 2.
  const besideRun = async (m: Model) => {
    const r = await m.train({ steps: 2 });
    return JSON.stringify([r, bits(await m.getParams())]);
  };
  const alone = await Model.create(SPEC, { shared });
  await alone.train({ steps: 1 });
  const besideWant = await besideRun(alone);
  alone.dispose();
  try {
    for (const [call, label, fails, next] of cases) {
      const m = await Model.create(SPEC, { shared });
      const beside = await Model.create(SPEC, { shared });
      await beside.train({ steps: 1 });
      await m.train({ steps: 2 });
      const params = await m.getParams();
      const before = bits(params);
      if (label) failAt = label;
      else (m as unknown as { nets: { current: { params: GPUBuffer } } }).nets.current.params.destroy();
      const failing = ended(fails(m));
      const besideGot = await besideRun(beside).catch(nameOf);
      const end = await failing;
      failAt = null;
      beside.dispose();
      if (besideGot !== besideWant) problems.push(`${call} with a GPU error: a model beside it trained ${besideGot.slice(0, 200)}; alone ${besideWant.slice(0, 200)}`);
      const known = m.lastKnownParams();
      const kept = `${bits(known.params) === before} ${known.stepsSince} ${m.epochsTrained} ${await m.getParams().then((p) => bits(p) === before, nameOf)}`;
      const twin = await Model.create({ ...SPEC, init: undefined, params: paramsToSpec(m.net, params) }, { shared });
      const [after, want] = [JSON.stringify(await next(m).catch(nameOf)), JSON.stringify(await next(twin).catch(nameOf))];
      twin.dispose();
      m.dispose();
      if (end !== `GPU_VALIDATION ${call}` || kept !== 'true 0 0 true') {
        problems.push(`${call} with a GPU error: ${end} (want GPU_VALIDATION ${call}); the CPU copy as before, steps since, epochs, getParams as before: ${kept} (want true 0 0 true)`);
      }
      if (after !== want) problems.push(`${call} after its GPU error: ${after.slice(0, 200)}; a twin that never failed: ${want.slice(0, 200)}`);
    }
    // train() steps the CPU copy lacks, then a train at another batch size whose new step net comes out invalid: the
    // copy as brought up to date before the new net (the 2 steps, none unread), and that net not kept — the next calls
    // run as a twin's (they all failed on it: the copy from before the read came back, its 2 steps counted again). A fit
    // of a model beside it, queued behind the failing train, resolves as alone: the train puts no parameters back onto
    // the invalid buffer (an error of its own, after its section: the fit's, which rejected with it).
    {
      const [m, twin, beside, alone] = await Promise.all([0, 1, 2, 3].map(() => Model.create(SPEC, { shared })));
      const fitRun = (f: Model) => f.fit({ epochs: 20, batchSize: 2 }).then((h) => `${h.map((e) => e.loss)} ${bits(f.lastKnownParams().params)}`, nameOf);
      const besideWant = await fitRun(alone);
      await m.train({ steps: 2 });
      await twin.train({ steps: 2 });
      const want = bits(await twin.getParams());
      failAt = /^params \(every/;
      const failing = ended(m.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) }));
      const besideGot = await fitRun(beside);
      const end = await failing;
      failAt = null;
      const known = m.lastKnownParams();
      const kept = `${known.stepsSince} ${bits(known.params) === want}`;
      const run = async (r: Model) => JSON.stringify([await r.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) }), await r.train({ steps: 1 }), bits(await r.getParams())]);
      const [after, twinAfter] = [await run(m).catch(nameOf), await run(twin).catch(nameOf)];
      for (const r of [m, twin, beside, alone]) r.dispose();
      if (`${end} ${kept}` !== 'GPU_VALIDATION train 0 true') problems.push(`train with a GPU error after 2 unread steps: ${end}, steps since and the copy as brought up to date: ${kept} (want GPU_VALIDATION train, 0 true)`);
      if (after !== twinAfter) problems.push(`train after its GPU error (2 unread steps before): ${after.slice(0, 200)}; a twin that never failed: ${twinAfter.slice(0, 200)}`);
      if (besideGot !== besideWant) problems.push(`a fit queued behind a train with a GPU error: ${besideGot.slice(0, 200)}; alone ${besideWant.slice(0, 200)}`);
    }
    // train() steps unread, then a step whose new staging buffer (Z's, step's first read of Z) comes out invalid: the
    // step net is kept for its steps, and its staging buffers let go of — the next step and grad run as a twin's (they
    // failed on that buffer until a getParams and one more failure).
    {
      const [m, twin] = await Promise.all([0, 1].map(() => Model.create(SPEC, { shared })));
      await m.train({ steps: 2 });
      await twin.train({ steps: 2 });
      failAt = /^staging Z/;
      const end = await ended(m.step());
      failAt = null;
      const since = m.lastKnownParams().stepsSince;
      const run = async (r: Model) => JSON.stringify([await r.step(), (await r.grad()).loss, bits(await r.getParams())]);
      const [after, twinAfter] = [await run(m).catch(nameOf), await run(twin).catch(nameOf)];
      m.dispose();
      twin.dispose();
      if (`${end} ${since}` !== 'GPU_VALIDATION step 2') problems.push(`step with a GPU error after 2 unread steps: ${end}, steps since ${since} (want GPU_VALIDATION step, 2)`);
      if (after !== twinAfter) problems.push(`step after its GPU error (a staging buffer): ${after.slice(0, 200)}; a twin that never failed: ${twinAfter.slice(0, 200)}`);
    }
    // A fit stopped (its signal) in an epoch with a GPU error (its optimiser state destroyed in the onEpoch before): a
    // failure, not a stop — GpuValidationError, the epochs, optimiser state and parameters from before the call (it
    // kept the stop's epochs and state beside the parameters from before it), and the next fit runs.
    {
      const m = await Model.create(SPEC, { shared });
      await m.fit({ epochs: 1, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } });
      const before = `${bits(await m.getParams())} ${m.epochsTrained} ${m.optimizerState()?.t}`;
      const stop = new AbortController();
      let batches = 0;
      const end = await ended(m.fit({
        epochs: 3, batchSize: 2, batchesPerSubmission: 1, signal: stop.signal,
        onEpoch: () => made.get('optimizer m')!.destroy(),
        onBatch: () => void (++batches === 3 && stop.abort()),
      }));
      const after = `${bits(m.lastKnownParams().params)} ${m.epochsTrained} ${m.optimizerState()?.t}`;
      const next = await ended(m.fit({ epochs: 1, batchSize: 2 }));
      m.dispose();
      if (`${end} ${after === before} ${next}` !== 'GPU_VALIDATION fit true resolved') {
        problems.push(`a fit stopped after a GPU error: ${end}, the model as before: ${after === before} (${after.slice(-12)}; before ${before.slice(-12)}), the next fit ${next} (want GPU_VALIDATION fit, true, resolved)`);
      }
    }
    // Inside error scopes of the caller's own (as the lab and the CLI put them): the call's error, not the one those
    // caught after it (its parameters put back onto the invalid buffer, before runChecked's keepsNet).
    const m = await Model.create(SPEC, { shared });
    await m.train({ steps: 1 });
    failAt = /^params \(every/;
    const outer = await ended(shared.withErrorScopes('outer scopes', () => m.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) })));
    failAt = null;
    m.dispose();
    if (outer !== 'GPU_VALIDATION train') problems.push(`train with a GPU error inside withErrorScopes: ${outer} (want GPU_VALIDATION train)`);
  } finally {
    shared.createBuffer = create;
  }
  return problems;
}

/**
 * A failed read on a live device (WebGpuBackend.failure: a map or queue wait that failed with no loss known) waits up
 * to LOST_GRACE_MS for the loss and leaves nothing on the device behind it: no reaction on `device.lost`, which
 * settles only when the device goes (a Promise.race on it kept ~310 bytes a failed read for the device's life: 17.8 MB
 * after 60 000); the error comes back as it came, and a loss during the wait still makes it a DeviceLostError.
 */
export async function failuresHoldNothing(): Promise<string[]> {
  const own = await WebGpuBackend.create();
  const lost = own.device.lost;
  let reactions = 0;
  const then = lost.then.bind(lost);
  Object.defineProperty(lost, 'then', {
    configurable: true,
    value: (...args: Parameters<typeof then>) => {
      reactions++;
      return then(...args);
    },
  });
  const asIs = new Error('a failed map');
  const ends = await Promise.all(Array.from({ length: 50 }, () => own.failure('this WebGPU net', asIs)));
  const problems: string[] = [];
  if (ends.some((e) => e !== asIs)) problems.push(`failed reads on a live device: ${ends.filter((e) => e !== asIs).length} of 50 not thrown as they came`);
  if (reactions !== 0) problems.push(`50 failed reads on a live device left ${reactions} reactions on device.lost (want 0: each is kept until the device goes)`);
  const during = own.failure('this WebGPU net', asIs);
  own.device.destroy();
  const end = await during;
  if (!(end instanceof DeviceLostError)) problems.push(`a failed read, the device lost during its wait: ${end instanceof Error ? end.name : String(end)} (want DeviceLostError)`);
  own.dispose();
  return problems;
}
