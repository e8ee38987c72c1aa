/**
 * src/webgpu/firefox-poll.ts: empty submits while a map is pending, in Firefox only (its 100 ms WebGPU poll settles a
 * map only after a submit or the timer: README Benchmark, **In Firefox.**). No GPU here: a stand-in device whose
 * map settles only after k empty submits (Firefox's behaviour) or by itself, and a clock the stand-in turn and sleep
 * move (a turn 0.25 ms, a sleep its ms), so each count below is worked by hand from the module's constants.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebGpuBackend } from '../src/webgpu/backend.ts';
import { WebGpuTrainer } from '../src/webgpu/train.ts';
import { isFirefoxAgent, settleNudged, type NudgeDevice, type NudgeEnv } from '../src/webgpu/firefox-poll.ts';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:153.0) Gecko/20100101 Firefox/153.0';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const SEAMONKEY = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0 SeaMonkey/2.53.20';

/** A macrotask: every microtask queued before it has run. */
const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A stand-in device counting its submits; `after(k, settle)` settles the pending map at the k-th. */
function standInDevice(): { device: NudgeDevice; submits: () => number; after(k: number, settle: () => void): void; throwOnSubmit(): void } {
  let count = 0;
  let at = Infinity;
  let settle: () => void = () => undefined;
  let throws = false;
  const device: NudgeDevice = {
    createCommandEncoder: () => ({ finish: () => ({}) as GPUCommandBuffer }),
    queue: {
      submit: () => {
        count++;
        if (throws) throw new DOMException('device destroyed', 'InvalidStateError');
        if (count === at) settle();
      },
    },
  };
  return { device, submits: () => count, after: (k, f) => { at = k; settle = f; }, throwOnSubmit: () => { throws = true; } };
}

/** A clock moved by turn (0.25 ms) and sleep (its ms); `closed` resolves when the loop lets go of its env. */
function fakeEnv(userAgent: string): { env: NudgeEnv; closed: Promise<void>; clock: () => number } {
  let t = 0;
  let close!: () => void;
  const closed = new Promise<void>((resolve) => { close = resolve; });
  const env: NudgeEnv = {
    userAgent,
    now: () => t,
    turn: async () => { t += 0.25; await macrotask(); },
    sleep: async (ms) => { t += ms; await macrotask(); },
    close,
  };
  return { env, closed, clock: () => t };
}

/** A map the test settles: `resolve` and `reject` from outside. */
function pendingMap(): { map: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const map = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { map, resolve, reject };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('isFirefoxAgent', () => {
  it("is Firefox's user agent, not Chromium's nor SeaMonkey's", () => {
    expect(isFirefoxAgent(FIREFOX)).toBe(true);
    expect(isFirefoxAgent(CHROME)).toBe(false);
    expect(isFirefoxAgent(SEAMONKEY)).toBe(false);
    expect(isFirefoxAgent('')).toBe(false);
  });
});

describe('settleNudged', () => {
  it('in Firefox, resolves a map that needs 3 empty submits, 1 ms apart, and submits nothing after', async () => {
    const gpu = standInDevice();
    const { env, closed, clock } = fakeEnv(FIREFOX);
    const m = pendingMap();
    gpu.after(3, m.resolve);
    await settleNudged(gpu.device, m.map, env);
    await closed;
    // Submits at 0.25, 1.25 and 2.25 ms (one turn first, then one every 4 turns of 0.25 ms); the loop sees the map
    // settled after the next turn: 2.5 ms.
    expect(gpu.submits()).toBe(3);
    expect(clock()).toBe(2.5);
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(3);
  });

  it('in Chromium, submits nothing: a map that settles by itself resolves, one that waits for submits waits', async () => {
    const gpu = standInDevice();
    const { env } = fakeEnv(CHROME);
    const own = pendingMap();
    const result = settleNudged(gpu.device, own.map, env);
    own.resolve();
    await result;
    const waits = pendingMap();
    gpu.after(1, waits.resolve);
    let done = false;
    void settleNudged(gpu.device, waits.map, env).then(() => { done = true; });
    for (let k = 0; k < 10; k++) await macrotask();
    expect(gpu.submits()).toBe(0);
    expect(done).toBe(false);
  });

  it('in Firefox, a map that settles by itself within the first turn costs no submit', async () => {
    const gpu = standInDevice();
    const { env } = fakeEnv(FIREFOX);
    const m = pendingMap();
    const result = settleNudged(gpu.device, m.map, env);
    m.resolve();
    await result;
    expect(gpu.submits()).toBe(0);
  });

  it('stops at the 1 s deadline (215 submits) and still returns the map, which settles later', async () => {
    const gpu = standInDevice();
    const { env, closed, clock } = fakeEnv(FIREFOX);
    const m = pendingMap();
    let outcome = 'pending';
    const result = settleNudged(gpu.device, m.map, env).then(() => { outcome = 'resolved'; });
    await closed;
    // Busy (elapsed < 20 ms, a turn each): submits at 0.25, 1.25, …, 19.25 ms — 20. Then at 20 ms (no submit:
    // 0.75 ms since the last) sleeps of 5 ms: submits at 25, 30, …, 995 ms — 195. At 1000 ms the loop ends.
    expect(gpu.submits()).toBe(215);
    expect(clock()).toBe(1000);
    await macrotask();
    expect(outcome).toBe('pending');
    m.resolve();
    await result;
    expect(outcome).toBe('resolved');
    expect(gpu.submits()).toBe(215);
  });

  it('rejects as the map does (device lost at the 2nd submit), with no submit after', async () => {
    const gpu = standInDevice();
    const { env, closed } = fakeEnv(FIREFOX);
    const m = pendingMap();
    const lost = new DOMException('Buffer was unmapped before mapping was resolved.', 'AbortError');
    gpu.after(2, () => m.reject(lost));
    await expect(settleNudged(gpu.device, m.map, env)).rejects.toBe(lost);
    await closed;
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(2);
  });

  it('a submit that throws (a destroyed device) ends the nudging, not the map: its rejection comes through', async () => {
    const gpu = standInDevice();
    gpu.throwOnSubmit();
    const { env, closed } = fakeEnv(FIREFOX);
    const m = pendingMap();
    let outcome: unknown = 'pending';
    const result = settleNudged(gpu.device, m.map, env).then(() => 'resolved', (e: unknown) => e);
    void result.then((r) => { outcome = r; });
    await closed;
    expect(gpu.submits()).toBe(1);
    await macrotask();
    expect(outcome).toBe('pending');
    const lost = new DOMException('Device was destroyed.', 'AbortError');
    m.reject(lost);
    expect(await result).toBe(lost);
  });
});

describe('WebGpuBackend.mapRead', () => {
  /** A backend on a stand-in device (no constructor: it needs kernels), as test/webgpu-lost-order.test.ts does. */
  function backendOn(device: NudgeDevice): WebGpuBackend {
    const gpu = Object.create(WebGpuBackend.prototype) as WebGpuBackend;
    Object.defineProperties(gpu, { device: { value: device }, maps: { value: new Map() } });
    return gpu;
  }
  const buffer = (map: Promise<void>): GPUBuffer => ({ mapAsync: () => map }) as unknown as GPUBuffer;

  it("nudges under Firefox's user agent (the page's own env: a MessageChannel turn) until the map settles", async () => {
    vi.stubGlobal('GPUMapMode', { READ: 1 });
    vi.stubGlobal('navigator', { userAgent: FIREFOX });
    const gpu = standInDevice();
    const m = pendingMap();
    gpu.after(2, m.resolve);
    await backendOn(gpu.device).mapRead(buffer(m.map));
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(2);
  });

  it("does not under Chromium's user agent", async () => {
    vi.stubGlobal('GPUMapMode', { READ: 1 });
    vi.stubGlobal('navigator', { userAgent: CHROME });
    const gpu = standInDevice();
    const m = pendingMap();
    const result = backendOn(gpu.device).mapRead(buffer(m.map));
    for (let k = 0; k < 5; k++) await macrotask();
    m.resolve();
    await result;
    expect(gpu.submits()).toBe(0);
  });
});

describe('WebGpuTrainer.settled (fit with onBatch: onSubmittedWorkDone)', () => {
  it("nudges under Firefox's user agent until the queue's wait settles", async () => {
    vi.stubGlobal('navigator', { userAgent: FIREFOX });
    const gpu = standInDevice();
    const m = pendingMap();
    gpu.after(2, m.resolve);
    const device = { ...gpu.device, queue: { ...gpu.device.queue, onSubmittedWorkDone: () => m.map } };
    const trainer = Object.create(WebGpuTrainer.prototype) as WebGpuTrainer;
    Object.defineProperties(trainer, { device: { value: device }, disposed: { value: false }, gpu: { value: { check: () => undefined } } });
    await trainer.settled();
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(2);
  });
});

describe('settleNudged: the wait it returns', () => {
  it('settles as the map does, not when the 5 ms sleep it was in ends (the backoff after 20 ms)', async () => {
    const gpu = standInDevice();
    let t = 0;
    let wake: (() => void) | null = null;
    const env: NudgeEnv = {
      userAgent: FIREFOX,
      now: () => t,
      turn: async () => { t += 0.25; await macrotask(); },
      // A sleep the test ends: the map settles in the middle of it.
      sleep: (ms) => { t += ms; return new Promise<void>((resolve) => { wake = resolve; }); },
      close: () => { closed = true; },
    };
    let closed = false;
    const m = pendingMap();
    let outcome = 'pending';
    void settleNudged(gpu.device, m.map, env).then(() => { outcome = 'resolved'; });
    while (wake === null) await macrotask();
    // Busy: submits at 0.25, 1.25, …, 19.25 ms (20); at 20 ms none (0.75 ms since the last), then the first sleep.
    expect(gpu.submits()).toBe(20);
    m.resolve();
    for (let k = 0; k < 5; k++) await macrotask();
    expect(outcome).toBe('resolved');
    // The loop saw the settle at once too (its wake: mut64's P4), and let go of its env inside the sleep.
    expect(closed).toBe(true);
    (wake as () => void)();
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(20);
  });

  it("two waits at once, each on the page's own env (its MessageChannel turn), both settle by their own submits", async () => {
    vi.stubGlobal('navigator', { userAgent: FIREFOX });
    const a = standInDevice();
    const b = standInDevice();
    const ma = pendingMap();
    const mb = pendingMap();
    a.after(2, ma.resolve);
    b.after(3, mb.resolve);
    await Promise.all([settleNudged(a.device, ma.map), settleNudged(b.device, mb.map)]);
    for (let k = 0; k < 5; k++) await macrotask();
    expect([a.submits(), b.submits()]).toEqual([2, 3]);
  });

  // ffleft64: each wait ran a loop of its own, so N maps pending at once on one device (a readback of N buffers) made
  // N empty submits where one does (16 maps in Firefox 153: 36 submits and 4.0 ms, against 1 and 0.7 ms).
  it('two maps pending at once on one device: one loop nudges for both, as for one map (3 submits, 2.5 ms)', async () => {
    const gpu = standInDevice();
    const { env, closed, clock } = fakeEnv(FIREFOX);
    const second = fakeEnv(FIREFOX);
    const a = pendingMap();
    const b = pendingMap();
    gpu.after(3, () => { a.resolve(); b.resolve(); });
    await Promise.all([settleNudged(gpu.device, a.map, env), settleNudged(gpu.device, b.map, second.env)]);
    await closed;
    // As the first test's one map: submits at 0.25, 1.25 and 2.25 ms, the loop done after the next turn. The second
    // wait joined the device's loop: its env let go at once, its clock never moved.
    expect(gpu.submits()).toBe(3);
    expect(clock()).toBe(2.5);
    await second.closed;
    expect(second.clock()).toBe(0);
  });

  it('the loop goes on for a joined wait after the first settles, and stops when it does', async () => {
    const gpu = standInDevice();
    const { env, closed, clock } = fakeEnv(FIREFOX);
    const a = pendingMap();
    const b = pendingMap();
    // a settles at the 2nd submit, b at the 4th.
    gpu.after(2, () => { a.resolve(); gpu.after(4, b.resolve); });
    await Promise.all([settleNudged(gpu.device, a.map, env), settleNudged(gpu.device, b.map, fakeEnv(FIREFOX).env)]);
    await closed;
    // Submits at 0.25, 1.25 (a settled), 2.25 and 3.25 ms (b settled); the loop sees b settled after the next turn.
    expect(gpu.submits()).toBe(4);
    expect(clock()).toBe(3.5);
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(4);
  });

  // mut64 (reviews/mut64.md): a wait that joins the loop while it sleeps its backoff wakes it, as a new wait's busy window
  // (BUSY_MS of turns) starts then; the loop had slept its 5 ms out first (P2: the join's wake() dropped).
  it('a wait that joins during the backoff sleep wakes the loop: a submit at once, not after the sleep', async () => {
    const gpu = standInDevice();
    let t = 0;
    let sleeps = 0;
    const env: NudgeEnv = {
      userAgent: FIREFOX,
      now: () => t,
      turn: async () => { t += 0.25; await macrotask(); },
      // A sleep that never ends by itself: only a wake (a join, a settle) moves the loop on.
      sleep: (ms) => { t += ms; sleeps++; return new Promise<void>(() => undefined); },
    };
    const a = pendingMap();
    const b = pendingMap();
    void settleNudged(gpu.device, a.map, env);
    while (sleeps === 0) await macrotask();
    // As above: 20 submits in the busy window, then the sleep (the clock at 25 ms).
    expect(gpu.submits()).toBe(20);
    void settleNudged(gpu.device, b.map, env);
    for (let k = 0; k < 100 && gpu.submits() < 22; k++) await macrotask();
    // Woken at 25 ms: 5.75 ms since the last submit (19.25 ms), so one now (21); b is in its busy window (some wait
    // under BUSY_MS, though a is past it: P8), so turns, not the sleep, and a 22nd 1 ms on.
    expect(gpu.submits()).toBe(22);
    a.resolve();
    b.resolve();
    for (let k = 0; k < 5; k++) await macrotask();
    const after = gpu.submits();
    for (let k = 0; k < 5; k++) await macrotask();
    expect(gpu.submits()).toBe(after);
  });

  // mut64 (P7): a loop that ended must leave the device's slot, or a later wait joins a loop that no longer runs.
  it('one map after another on one device: each nudged by a loop of its own turn', async () => {
    const gpu = standInDevice();
    for (const k of [3, 6]) {
      const { env, closed } = fakeEnv(FIREFOX);
      const m = pendingMap();
      gpu.after(k, m.resolve);
      await settleNudged(gpu.device, m.map, env);
      await closed;
      // 3 submits each, as the first test's one map.
      expect(gpu.submits()).toBe(k);
    }
  });
});
