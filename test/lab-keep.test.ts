/**
 * The net kept across a reload (src/lab/keep.ts; README "The course lab", **Back, reload and a second tab.**), in Node
 * on the CPU: a session's state written as the tab's entry and read back into a new session is the same bits (weights,
 * Adam's moments, epochs, curves) and goes on as the first one does; an entry of another build, cut, garbled, too big
 * or refused by the storage is ignored (and the older entry removed); nothing is kept of an untrained or Reset net; a
 * link in the address other than the one the entry was written at wins.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { isLink } from '../src/lab/files.ts';
import { decodeKept, KEEP_FORMAT, KEEP_KEY, KEEP_PLACE_KEY, KeepQueue, keptBody, keptOf, readKept, writeKept, type Kept, type KeepStorage } from '../src/lab/keep.ts';
import type { PresetData } from '../src/lab/presets.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import type { Params } from '../src/spec.ts';
import { xorSpec } from './lib/lab-nets.ts';

/** A Map as a tab's sessionStorage; `refuse`: setItem throws what Chromium throws when the origin's quota is full. */
function memoryStorage(refuse = false): KeepStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (refuse) throw new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value of 'backprop-lab:kept-net' exceeded the quota.", 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => { map.delete(k); },
  };
}

/** Every float32 of params as its bits. */
const bits = (p: Params): number[][] => [...p.W, ...p.b].map((a) => [...new Uint32Array(Float32Array.from(a).buffer)]);
const FIT = { optimizer: { name: 'adam' as const, lr: 0.01 }, batchSize: 2, epochs: 3 };

/** The xor net (4 examples, mini-batches of 2), trained: 3 SGD steps (the pass left at its second mini-batch), then 3 epochs of Adam. */
async function trained(): Promise<{ s: LabSession; data: PresetData }> {
  const lab = checkLabSpec(xorSpec(), 2);
  const s = await LabSession.open(lab, 'cpu', null);
  await s.train(3, () => {});
  await s.fit(FIT, () => {});
  return { s, data: { kind: 'custom', spec: lab.spec, batchSize: 2 } };
}

/** The session a reload opens from an entry (keep-page.ts restoreKept's order: the spec's net, then resumeKept). */
async function reopened(k: Kept): Promise<LabSession> {
  const s = await LabSession.open(checkLabSpec(k.spec, k.batchSize), 'cpu', null);
  await s.resumeKept(k);
  return s;
}

const PLACE = { address: '', tab: 'tab-surface' };

describe('the kept net', () => {
  it('comes back the same bits and goes on as the net before the reload', async () => {
    const { s, data } = await trained();
    const storage = memoryStorage();
    const k = await keptOf({ session: s, data, fit: FIT, menu: '' });
    expect(writeKept(storage, keptBody(k!), PLACE)).toEqual({ kept: storage.map.get(KEEP_KEY)!.length });
    const read = readKept(storage, '', isLink, () => {});
    expect(read!.tab).toBe('tab-surface');
    const r = await reopened(read!);
    expect(bits(r.params)).toEqual(bits(s.params));
    expect(bits(r.initial)).toEqual(bits(s.initial));
    const [a, b] = [s.model.optimizerState()!, r.model.optimizerState()!];
    expect([b.name, b.t]).toEqual([a.name, a.t]);
    for (const slot of ['m', 'v'] as const) expect(bits(b.slots[slot])).toEqual(bits(a.slots[slot]));
    expect(r.model.epochsTrained).toBe(3);
    // The curve: 3 step points, the loss before the fit and 3 epoch points, each loss the same double.
    expect(r.history.length).toBe(7);
    expect(r.history.map((p) => [p.step, p.loss, p.kind])).toEqual(s.history.map((p) => [p.step, p.loss, p.kind]));
    r.history.forEach((p, i) => expect(Object.is(p.loss, s.history[i].loss)).toBe(true));
    expect([r.steps, r.batchIndex, r.fits]).toEqual([s.steps, s.batchIndex, s.fits]);
    // Reset straight after the reload: the starting weights, and no optimiser state or epochs (a fresh Model).
    const again = await reopened(read!);
    await again.reset();
    expect(bits(again.params)).toEqual(bits(s.initial));
    expect([again.model.epochsTrained, again.model.optimizerState(), again.history]).toEqual([0, undefined, []]);
    again.dispose();
    // Both go on alike: a step (the next mini-batch: 3 steps + 3 epochs × 2 = 9, the second of the pass) and 2 epochs of Adam.
    expect(r.batchIndex).toBe(1);
    for (const x of [s, r]) {
      await x.update();
      await x.fit({ ...FIT, epochs: 2 }, () => {});
    }
    expect(bits(r.params)).toEqual(bits(s.params));
    // Reset of the restored net: the starting weights and Fit's state afresh (a fresh Model), as a Reset of the first.
    for (const x of [s, r]) {
      await x.reset();
      expect([x.model.epochsTrained, x.model.optimizerState()]).toEqual([0, undefined]);
      await x.fit(FIT, () => {});
    }
    expect(bits(r.params)).toEqual(bits(s.params));
    s.dispose();
    r.dispose();
  });

  it('keeps nothing of a net not trained, or Reset: the entry before is removed', async () => {
    const { s, data } = await trained();
    const storage = memoryStorage();
    writeKept(storage, keptBody((await keptOf({ session: s, data, fit: undefined, menu: '' }))!), PLACE);
    await s.reset();
    expect(await keptOf({ session: s, data, fit: undefined, menu: '' })).toBeNull();
    expect(writeKept(storage, null, PLACE)).toEqual({ cleared: true });
    expect(storage.map.size).toBe(0);
    const fresh = await LabSession.open(checkLabSpec(xorSpec(), 2), 'cpu', null);
    expect(await keptOf({ session: fresh, data, fit: undefined, menu: '' })).toBeNull();
    s.dispose();
    fresh.dispose();
  });

  it("names MNIST's digits (the preset fetches them again) instead of holding them, whatever its net", async () => {
    const { s, data } = await trained();
    const k = (await keptOf({ session: s, data: { ...data, kind: 'mnist' }, fit: undefined, menu: '' }))!;
    expect(k.preset).toBe('mnist');
    expect(['x', 'y'].filter((key) => key in k.spec)).toEqual([]);
    expect(decodeKept(keptBody(k), JSON.stringify(PLACE)).preset).toBe('mnist');
    expect(() => decodeKept(keptBody({ ...k, preset: 'xor' }), JSON.stringify(PLACE))).toThrow(/^kept\.preset: must be one of mnist, got "xor"/);
    const own = (await keptOf({ session: s, data, fit: undefined, menu: '' }))!;
    expect([own.preset, 'x' in own.spec]).toEqual([undefined, true]);
    s.dispose();
  });

  it("keeps the line under the Training buttons (a Fit's summary); an entry written without one still loads", async () => {
    const { s, data } = await trained();
    const line = '3 epochs of Adam (lr 0.01, batch 2) on CPU in 0.01 s (stopped early: the validation loss did not improve for 1 epoch after epoch 2; the net holds epoch 2, the best): loss 0.70 before → 0.69 (epoch 2\'s mean, the epoch kept); validation loss 0.6900.';
    const storage = memoryStorage();
    writeKept(storage, keptBody((await keptOf({ session: s, data, fit: FIT, menu: '', line }))!), PLACE);
    expect(readKept(storage, '', isLink, () => {})!.line).toBe(line);
    // An empty line (nothing trained since a load) is not kept.
    expect('line' in (await keptOf({ session: s, data, fit: FIT, menu: '', line: '' }))!).toBe(false);
    // An entry of the build before (no line): loads, the same net, no line.
    const o = JSON.parse(storage.map.get(KEEP_KEY)!) as Record<string, unknown>;
    delete o.line;
    storage.map.set(KEEP_KEY, JSON.stringify(o));
    const lines: string[] = [];
    const old = readKept(storage, '', isLink, (l) => lines.push(l));
    expect([lines, old?.steps, old && 'line' in old]).toEqual([[], 9, false]);
    // Not a string: refused, naming the field.
    expect(() => decodeKept(JSON.stringify({ ...o, line: 7 }), JSON.stringify(PLACE))).toThrow(/^kept\.line: must be a string, got 7/);
    s.dispose();
  });

  it('ignores an entry of another build, cut or garbled, with a note, and removes it', async () => {
    const { s, data } = await trained();
    const good = keptBody((await keptOf({ session: s, data, fit: FIT, menu: '' }))!);
    const place = JSON.stringify(PLACE);
    const o = JSON.parse(good) as Record<string, unknown>;
    // The checkpoint's base64 with its 8-byte header length (little-endian u64, safetensors) made 2⁴⁰: past the file.
    const ck = Buffer.from(o.checkpoint as string, 'base64');
    ck[5] = 1;
    const cases: ([string, RegExp] | [string, RegExp, string | null])[] = [
      [good, /^kept\.place: missing/, null],
      [good, /^kept\.place: is not JSON/, '{"address":'],
      [good, /^kept\.place\.tab: must be a string/, '{"address":""}'],
      [good.slice(0, good.length / 2), /^kept: is not JSON/],
      [JSON.stringify({ ...o, format: 'backprop-lab kept net 0' }), /^kept\.format: must be 'backprop-lab kept net 1'/],
      [JSON.stringify({ ...o, checkpoint: '%%%' }), /^kept\.checkpoint: is not base64/],
      [JSON.stringify({ ...o, checkpoint: ck.toString('base64') }), /^checkpoint: /],
      [JSON.stringify({ ...o, history: [{ step: 0, loss: null }] }), /^kept\.history\[0\]\.loss: must be a finite number/],
      [JSON.stringify({ ...o, steps: -1 }), /^kept\.steps: must be a whole number ≥ 0/],
      [JSON.stringify({ ...o, kind: 'gpu' }), /^kept\.kind: must be one of cpu, wasm, webgpu/],
      ['[]', /^kept: must be an object/],
    ];
    for (const [entry, why, at = place] of cases) {
      expect(() => decodeKept(entry, at)).toThrow(SpecError);
      expect(() => decodeKept(entry, at)).toThrow(why);
      const storage = memoryStorage();
      storage.map.set(KEEP_KEY, entry);
      if (at !== null) storage.map.set(KEEP_PLACE_KEY, at);
      const lines: string[] = [];
      expect(readKept(storage, '', isLink, (line) => lines.push(line))).toBeUndefined();
      expect(lines.length).toBe(1);
      expect(lines[0].replace(/^The net kept from before the reload is not restored: /, '')).toMatch(why);
      expect(storage.map.size).toBe(0);
    }
    expect(JSON.parse(good).format).toBe(KEEP_FORMAT);
    s.dispose();
  });

  it('writes no entry too big or refused by the storage, and removes the older one', async () => {
    const { s, data } = await trained();
    const body = keptBody((await keptOf({ session: s, data, fit: FIT, menu: '' }))!);
    const storage = memoryStorage();
    storage.map.set(KEEP_KEY, 'an older entry');
    storage.map.set(KEEP_PLACE_KEY, '{}');
    expect(writeKept(storage, body, PLACE, body.length - 1)).toEqual({ tooBig: body.length });
    expect(storage.map.size).toBe(0);
    expect(writeKept(storage, body, PLACE, body.length)).toEqual({ kept: body.length });
    expect(storage.map.get(KEEP_KEY)).toBe(body);
    // The body written, the page hidden on another tab: only the place is written again.
    storage.map.set(KEEP_KEY, 'the body as written');
    expect(writeKept(storage, body, { ...PLACE, tab: 'tab-files' }, body.length, true)).toEqual({ kept: body.length });
    expect([storage.map.get(KEEP_KEY), JSON.parse(storage.map.get(KEEP_PLACE_KEY)!).tab]).toEqual(['the body as written', 'tab-files']);
    const full = memoryStorage(true);
    full.map.set(KEEP_KEY, 'an older entry');
    full.map.set(KEEP_PLACE_KEY, '{}');
    const r = writeKept(full, body, PLACE);
    expect(r).toEqual({ refused: expect.stringMatching(/^QuotaExceededError: .*exceeded the quota/) as unknown });
    expect(full.map.size).toBe(0);
    s.dispose();
  });

  it('gives way to a link other than the one it was written at', async () => {
    const { s, data } = await trained();
    const k = (await keptOf({ session: s, data, fit: FIT, menu: '' }))!;
    const storage = memoryStorage();
    writeKept(storage, keptBody(k), { address: '', tab: '' });
    expect(readKept(storage, '#preset=xor', isLink, () => {})).toBeUndefined();
    expect(readKept(storage, '#main', isLink, () => {})).toBeDefined(); // the page's own anchor is no link
    writeKept(storage, keptBody(k), { address: '#preset=xor', tab: '' });
    expect(readKept(storage, '#preset=xor', isLink, () => {})?.steps).toBe(9);
    expect(readKept(storage, '#preset=circle', isLink, () => {})).toBeUndefined();
    expect(storage.map.has(KEEP_KEY)).toBe(true); // not removed: a reload at its own address brings it back
    s.dispose();
  });

  it('keeps a net only stepped (Train, no Fit); the entry\'s curves are a copy the session grows past; a batch size 0, a loss 1e999 refused (review mut64b)', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec(), 2), 'cpu', null);
    const data: PresetData = { kind: 'custom', spec: s.lab.spec, batchSize: 2 };
    await s.train(3, () => {});
    const k = (await keptOf({ session: s, data, fit: undefined, menu: '' }))!;
    expect([k.steps, k.fits]).toEqual([3, 0]);
    // The loss before and after each of the 3 steps' points: what the session holds now, and stays so after 2 more.
    const points = s.history.length;
    expect(k.history).toHaveLength(points);
    await s.train(2, () => {});
    expect(s.history.length).toBeGreaterThan(points);
    expect(k.history).toHaveLength(points);
    const o = JSON.parse(keptBody(k)) as Record<string, unknown>;
    const place = JSON.stringify(PLACE);
    expect(() => decodeKept(JSON.stringify({ ...o, batchSize: 0 }), place)).toThrow(/^kept\.batchSize: must be a whole number ≥ 1, got 0/);
    // JSON has no Infinity, but 1e999 reads as it.
    const huge = JSON.stringify({ ...o, history: [{ step: 0, loss: 12345 }] }).replace('12345', '1e999');
    expect(() => decodeKept(huge, place)).toThrow(/^kept\.history\[0\]\.loss: must be a finite number, got Infinity/);
    expect(() => decodeKept(JSON.stringify({ ...o, validation: [{ step: 0, loss: 1, kind: 'gpu' }] }), place)).toThrow(/^kept\.validation\[0\]\.kind: must be one of cpu, wasm, webgpu, got "gpu"/);
    // Your data's validation rows (a spec has none) go in the entry's data, as the page made them.
    const validation = { x: [[0, 1]], y: [[1]], labels: [1] };
    expect((await keptOf({ session: s, data: { ...data, validation }, fit: undefined, menu: '' }))!.data).toEqual({ validation });
    s.dispose();
  });

  it('writes a burst of actions once, when the page is idle, the last state; a hide writes what waits at once', async () => {
    const { s, data } = await trained();
    const k = (await keptOf({ session: s, data, fit: FIT, menu: '' }))!;
    const idle: (() => void)[] = [];
    const written: (number | null)[] = []; // each write's steps (null: the entry removed)
    const q = new KeepQueue((body) => written.push(body === null ? null : (JSON.parse(body) as { steps: number }).steps), (run) => idle.push(run));
    // Three actions (steps 10, 11, 12): nothing written until the page is idle, then once, the last.
    for (const steps of [10, 11, 12]) q.take({ ...k, steps });
    expect([written, idle.length]).toEqual([[], 1]);
    idle.shift()!();
    expect(written).toEqual([12]);
    expect(q.flush()).toBe(false); // nothing waits
    // An action, then the page hidden before it is idle: written at once; the idle call after finds nothing.
    q.take({ ...k, steps: 13 });
    expect(q.flush()).toBe(true);
    expect(written).toEqual([12, 13]);
    idle.shift()!();
    expect([written, idle.length]).toEqual([[12, 13], 0]);
    // Reset (nothing to keep) after an action not yet written: removed at once, the action's state not written after.
    q.take({ ...k, steps: 14 });
    q.take(null);
    expect(written).toEqual([12, 13, null]);
    idle.shift()!();
    expect(written).toEqual([12, 13, null]);
    s.dispose();
  });
});
