/**
 * WebGPU in Node on Dawn (the npm package webgpu, a devDependency here): the lecture values, a parity sample, the
 * saturating nets of test/lib/saturation.ts, a short fit per optimiser against the CPU oracle's, the edge cases of the
 * call sequences and the accuracy rule, fit's failure modes (test/lib/fit-failures.ts, a device lost mid-fit), the
 * queue checks of test/lib/queue-checks.ts, and matmul.wgsl's own kernel
 * variants and main_tiny's and main_lanes' shared db against the CPU oracle (test/dawn/variants.ts), and the device buffers fit,
 * predict, evaluate and a model's step net make against the budget's counts (test/dawn/fit-buffers.ts), and the kernel
 * code the rest never executes (test/dawn/unreached.ts) (test/dawn/run.ts, in a child
 * process with the Vulkan loader pointed at SwiftShader — Debian's chromium's, else the one bundled in
 * @sparticuz/chromium — since those variables only take effect in a fresh process), and `backprop grad`, `train` and
 * `demo` on WebGPU, which find SwiftShader themselves (src/cli/webgpu.ts). Skipped, saying why, where Dawn finds no
 * adapter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAnySwiftShaderIcd, swiftShaderEnv } from '../src/node/dawn.ts';
import { builtCliEnv } from './lib/built-cli.ts';
import { QUEUE_CHECKS } from './lib/queue-checks.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FIXTURE = 'test/fixtures/lecture-2-2-1.json';
// bin/backprop.js runs the library build of the CLI (test/lib/built-cli.ts), as the test/cli-*.test.ts files do: the
// sources under tsx start ~0.3 s slower, and these tests start Node 23 times (each WebGPU run twice: src/cli/dawn.ts
// reruns it with SwiftShader's variables). test/cli-build.test.ts checks that the build and the sources print the same;
// the demo below runs the sources (FROM_SOURCE), so the checkout's own CLI still reaches Dawn and reruns itself.
const FROM_SOURCE = { BACKPROP_CLI_LIB: '' };

// NOTE: generous, as only a hang should reach them: `npm test` runs these files at a lower priority beside the browser
// files (test/run-suite.ts), and on this 2-core machine with other work running test/dawn/run.ts passed 240 s
// (2026-12-06; alone it takes ~60 s, the whole file 185 s in a quiet CI).
const RUN_MS = 420_000;
const TEST_MS = 480_000;

function node(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: RUN_MS, env: { ...process.env, ...env } });
  // A run past RUN_MS is killed (status null): the log says so first, as the last section it printed is all it shows.
  const killed = r.status === null ? `killed by ${r.signal ?? 'no signal'}${r.error ? ` (${r.error.message}; RUN_MS is ${RUN_MS / 1000} s)` : ''}\n` : '';
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, log: `${killed}${r.stdout}\n${r.stderr}` };
}

/** `node bin/backprop.js ARGS` on the library build, built at the first CLI run (none where -t picks no CLI test). */
function cli(args: string[]) {
  return node(['bin/backprop.js', ...args], builtCliEnv());
}

const NO_ADAPTER = /no adapter|did not load/;
/** Skip the test, saying why, when there is a reason (`why`). */
function skipWhen(ctx: { skip: () => void }, why: string | null): void {
  if (!why) return;
  console.log(`skipped: ${why}`);
  ctx.skip();
}
/** Why a CLI run did not reach Dawn (it failed with no adapter, or fell back to Chromium, which other tests cover), or null. */
function noDawn(r: { status: number | null; stdout: string; stderr: string }): string | null {
  const fellBack = r.stderr.split('\n').find((l) => /trying headless Chromium instead/.test(l));
  if (fellBack) return fellBack;
  return r.status !== 0 && NO_ADAPTER.test(r.stderr) ? r.stderr.trim().split('\n').pop()! : null;
}

/** `work` on a fresh temporary folder, removed after. */
function inTempDir(work: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-dawn-'));
  try {
    work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** XOR, 6 training examples in batches of 4 (a remainder batch), 3 epochs of momentum: 6 steps; the spec file in `dir`. */
function xorSpec(dir: string): string {
  const spec = join(dir, 'xor.json');
  writeFileSync(spec, JSON.stringify({
    inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 },
    x: [[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0], [0], [1], [1], [0]],
    batchSize: 4, epochs: 3, optimizer: { name: 'momentum', lr: 0.1 }, validation: 0.25,
  }));
  return spec;
}

/** `train --json`'s output on WebGPU against `train SPEC --backend cpu --json`'s: the same epochs, parameters and losses. */
function expectFitNearCpu(gpuStdout: string, spec: string): void {
  const cpu = cli(['train', spec, '--backend', 'cpu', '--json']);
  expect(cpu.status, cpu.log).toBe(0);
  type Fit = { history: { epoch: number; loss: number }[]; params: { W: number[][][]; b: number[][] } };
  const [g, c] = [JSON.parse(gpuStdout) as Fit, JSON.parse(cpu.stdout) as Fit];
  expect(g.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
  // NOTE: 6 steps; float32 sums in another order: the bound of the wasm train test (test/cli-train.test.ts, itself from
  // test/wasm-fit.test.ts: 5e-6 relative per step), since WebGPU and the CPU differ only in summation order too.
  const flat = (p: Fit['params']) => [...p.W.flat(2), ...p.b.flat()];
  const [pg, pc] = [flat(g.params), flat(c.params)];
  expect(pg.length).toBe(pc.length);
  pg.forEach((v, i) => expect(Math.abs(v - pc[i]!), `param ${i}`).toBeLessThan(3e-5 * Math.max(1, Math.abs(pc[i]!))));
  g.history.forEach((e, i) => expect(Math.abs(e.loss - c.history[i]!.loss)).toBeLessThan(3e-5));
}

/** What precedes test/dawn/run.ts's result on stdout (its RESULT). */
const RESULT = 'dawn-run result: ';

describe('WebGPU in Node on Dawn', () => {
  it('the lectures\' values, a parity sample against the CPU oracle, calls not awaited ending as a twin awaiting each, edges and hostile input', async (ctx) => {
    const icd = await findAnySwiftShaderIcd();
    const r = node(['--import', './bin/register-source.mjs', 'test/dawn/run.ts'], icd ? swiftShaderEnv(icd) : {});
    if (r.status !== 0 && NO_ADAPTER.test(r.stderr)) {
      console.log(`skipped: Dawn found no WebGPU adapter here (SwiftShader ICD: ${icd ?? 'none'}): ${r.stderr.split('\n').find((l) => NO_ADAPTER.test(l))}`);
      ctx.skip();
    }
    expect(r.status, r.log).toBe(0);
    // The result is the JSON after the last RESULT marker. A passing run writes nothing else to stdout (2026-12-06:
    // one empty line before the marker), but Dawn writes a warning there without a newline where a dispatch is odd
    // ("workgroup count of 0 is unusual", seen from a broken kernel in the WGSL mutation pass): the JSON would then
    // share its line and fail as a parse error, not as its real cause.
    const out = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf(RESULT) + RESULT.length)) as {
      adapter: string; dawn: boolean; lectures: { id: string; claims: number; failed: string[] }[]; parity: { net: string; violations: string[] }[];
      saturation: string[]; optimizers: { what: string; worst: number; problems: string[] }[]; hostile: string[]; edges: string[]; fitFailures: string[]; queue: Record<string, string[]>;
      sums: string[]; variants: { variant: string; net: string; entries: string[]; problems: string[] }[]; webgpuVariant: string[]; fitData: string[];
      unreached: string[]; hostReads: string[];
    };
    console.log(`Dawn: ${out.adapter}`);
    expect(out.dawn).toBe(true);
    expect(out.lectures.length).toBeGreaterThanOrEqual(6);
    for (const l of out.lectures) {
      expect(l.claims, l.id).toBeGreaterThan(0);
      expect(l.failed, l.id).toEqual([]);
    }
    expect(out.parity.length).toBeGreaterThanOrEqual(8);
    for (const p of out.parity) expect(p.violations, p.net).toEqual([]);
    // The sample reaches the batch axis: batches > 1 with 'mean' (the 1/n of dW, db and the loss), 'sum', every loss.
    const meanBatches = new Set(out.parity.filter((p) => / mean n=/.test(p.net)).map((p) => Number(/ n=(\d+)$/.exec(p.net)![1])).filter((n) => n > 1));
    expect(meanBatches.size, out.parity.map((p) => p.net).join('\n')).toBeGreaterThanOrEqual(5);
    expect(out.parity.some((p) => / sum n=\d+$/.test(p.net) && !/ n=1$/.test(p.net))).toBe(true);
    for (const loss of [' mse ', ' bce ', ' softmax-cross-entropy ']) expect(out.parity.some((p) => p.net.includes(loss)), loss).toBe(true);
    // Saturating pre-activations (|z| up to 1000), fused auto and off, against the CPU oracle (bound in test/dawn/run.ts).
    expect(out.saturation).toEqual([]);
    // Every optimiser's rule on WebGPU against the CPU oracle (a short fit each; bound in test/dawn/run.ts).
    expect(out.optimizers.map((o) => o.what)).toEqual(['sgd', 'momentum', 'momentum (nesterov)', 'adam', 'adamw', 'adam, validation 0.25', 'adam, saturated tanh', 'adam, saturated sigmoid']);
    console.log(`fit on Dawn vs cpu, worst relative parameter difference: ${out.optimizers.map((o) => `${o.what} ${o.worst.toExponential(1)}`).join(', ')}`);
    for (const o of out.optimizers) expect(o.problems, o.what).toEqual([]);
    // Hostile input on WebGPU (test/dawn/run.ts): each case gives its typed error or is used as read once.
    expect(out.hostile).toEqual([]);
    // setParams / restore / evaluate after train, and the accuracy rule at its ties, on WebGPU (test/dawn/run.ts)
    expect(out.edges).toEqual([]);
    // fit's failure modes (test/lib/fit-failures.ts, test/dawn/run.ts): bad x, y refused before any buffer, a diverging
    // fit (momentum, AdamW) put back, a device lost mid-fit (DeviceLostError, the CPU copy from before the call, rebuild() goes on), and
    // the fit trainer after a call that failed part-way or a data set disposed (test/dawn/trainer-failures.ts); predict,
    // evaluate and restore refusing bad input before any GPU work (test/lib/fit-failures.ts), and the Model's calls
    // disposed mid-read, over cycles without a leaked buffer, the device lost mid-read and after, and the adapter's
    // binding limits requested, W and X past them refused before any buffer, and a GPU error in a call: GpuValidationError
    // naming it, the model as before it, a model beside it unaffected (test/dawn/call-lifecycle.ts).
    expect(out.fitFailures).toEqual([]);
    expect(Object.keys(out.queue)).toEqual(Object.keys(QUEUE_CHECKS));
    for (const [name, problems] of Object.entries(out.queue)) expect(problems, name).toEqual([]);
    // grad's loss and db, fit's epoch loss and accuracy over 2¹⁸ examples against float64 (test/lib/large-sums.ts).
    expect(out.sums).toEqual([]);
    // matmul.wgsl's own entry points, which the default device (with `subgroups`) never runs, asked for with
    // WebGpuBackend.create({ variant }), and main_tiny's and main_lanes' shared db under 'mean' at n = 3: each net's grad, train(5)
    // and fit against the CPU oracle (test/dawn/variants.ts: the nets and the bounds); and main_subgroup's product where
    // the subgroup is wider than the workgroup, exact. Each net reached its kernel.
    const used = (variant: string) => out.variants.filter((v) => v.variant === variant).map((v) => v.entries);
    expect(used('blocked')).toEqual([['matmul.main_blocked'], ['matmul.main_blocked']]);
    expect(used('tiled').flat()).toEqual(expect.arrayContaining(['matmul.main_tiled', 'matmul.main_tiled4']));
    for (const e of used('tiled')) expect(e.every((entry) => /^matmul\.main_tiled4?$/.test(entry)), e.join()).toBe(true);
    expect(used('tiny')).toEqual([['train_small.main_tiny']]);
    expect(used('lanes')).toEqual([['train_small.main_lanes']]);
    // main_subgroup in workgroups of 2 on 4-lane subgroups: a subgroup wider than its workgroup (128 lanes to 64 on a GPU).
    expect(used('subgroup')).toEqual([['matmul.main_subgroup']]);
    for (const v of out.variants) expect(v.problems, `${v.variant}: ${v.net}`).toEqual([]);
    // Model.create({ webgpuVariant: 'tiled' }): tiled kernels, main_tiled reached, grad and train against the oracle, kept by rebuild().
    expect(out.webgpuVariant).toEqual([]);
    // fit's (a validation set), predict's and evaluate's data buffers at their peak within fitDataNeeds' device count; a
    // whole fit's and a model's step net's buffers within their checks' figures; no order kept after a fit;
    // stepsPerSubmission past 4096 a SpecError (test/dawn/fit-buffers.ts).
    expect(out.fitData).toEqual([]);
    // What the rest never executes, from a mutation audit of the shaders (test/dawn/unreached.ts): main_single and
    // main_group in workgroups of 64 against the CPU oracle, main_tiny on per-unit and no bias, relu, identity, softmax,
    // mse and 'sum', and max_abs.wgsl's max where the second half of its stride and a vec4's y component hold it.
    expect(out.unreached).toEqual([]);
    // fit's epoch loss over 4096 batches of one epoch, which epoch_sums.wgsl's third level holds, and max |θ| of a NaN
    // parameter read back as Infinity (test/dawn/host-reads.ts).
    expect(out.hostReads).toEqual([]);
  }, TEST_MS);

  it('backprop grad --backend webgpu runs on Dawn (SwiftShader found by the CLI) and matches --backend cpu', async (ctx) => {
    const gpu = cli(['grad', FIXTURE, '--backend', 'webgpu', '--json']);
    const why = noDawn(gpu);
    skipWhen(ctx, why);
    expect(gpu.status, gpu.log).toBe(0);
    // Not the browser: the Chromium fallback would have said so on stderr.
    expect(gpu.stderr).not.toMatch(/headless Chromium instead/);
    const cpu = cli(['grad', FIXTURE, '--backend', 'cpu', '--json']);
    const [g, c] = [JSON.parse(gpu.stdout), JSON.parse(cpu.stdout)] as { loss: number; grads: { W: number[][][] } }[];
    // The lecture's ∂L/∂w5 = 0.0822 (lecture 001, line 98), on both.
    expect(g!.grads.W[1]![0]![0]).toBeCloseTo(0.0822, 4);
    expect(Math.abs(g!.loss - c!.loss)).toBeLessThanOrEqual(1e-6);
    const text = cli(['grad', FIXTURE, '--backend', 'webgpu']);
    expect(text.stdout).toMatch(/^backend: webgpu — WebGPU: .* in Node on Dawn/m);
  }, TEST_MS);

  it('backprop check --backend webgpu refuses a worked example without lr as cpu and wasm do (no step at lr 0)', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-dawn-'));
    try {
      const worked = JSON.parse(readFileSync(join(ROOT, 'src/lectures/lecture-2-2-1.worked.json'), 'utf8')) as { spec: { lr?: number }; claims: unknown[] };
      delete worked.spec.lr;
      worked.claims = worked.claims.slice(0, 1); // z_h1: no claim needs lr, but check's step() does
      const file = join(dir, 'no-lr.worked.json');
      writeFileSync(file, JSON.stringify(worked));
      const gpu = cli(['check', file, '--backend', 'webgpu']);
      skipWhen(ctx, noDawn(gpu));
      for (const r of [gpu, cli(['check', file, '--backend', 'cpu']), cli(['check', file, '--backend', 'wasm'])]) {
        expect(r.status, r.log).toBe(2);
        // check names the file an error is in (review cli 3).
        expect(r.stderr.split('\n')).toContain(`error [SPEC] ${file}: lr: no learning rate: give lr here or in the spec`);
        expect(r.stdout).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, TEST_MS);

  it('backprop train --backend webgpu takes the same route (Dawn), says so, and matches --backend cpu', (ctx) => {
    inTempDir((dir) => {
      const spec = xorSpec(dir);
      const gpu = cli(['train', spec, '--backend', 'webgpu', '--json']);
      const why = noDawn(gpu);
      skipWhen(ctx, why);
      expect(gpu.status, gpu.log).toBe(0);
      expect(gpu.stderr).toMatch(/^backprop: WebGPU in Node on Dawn \(npm package webgpu\) — WebGPU: /m);
      expect(gpu.stderr).toMatch(/^backend: WebGPU in Node on Dawn \(npm package webgpu\)$/m);
      expect(gpu.stderr).not.toMatch(/headless Chromium/);
      expectFitNearCpu(gpu.stdout, spec);
    });
  }, TEST_MS);

  it('--webgpu-variant: train, grad, explain and check run the kernels asked for (not auto\'s blocked-subgroup), say so, and match --backend cpu', (ctx) => {
    inTempDir((dir) => {
      // train: fit takes the per-kernel path (src/webgpu/train.ts), so the GEMMs are matmul.wgsl's main_tiled.
      const spec = xorSpec(dir);
      const train = cli(['train', spec, '--backend', 'webgpu', '--webgpu-variant', 'tiled', '--json']);
      skipWhen(ctx, noDawn(train));
      expect(train.status, train.log).toBe(0);
      // The backend's description names its kernels (WebGpuBackend.variant): on the route's line and after the fit.
      expect(train.stderr).toMatch(/^backprop: WebGPU in Node on Dawn \(npm package webgpu\) — WebGPU: .*, tiled kernels$/m);
      expect(train.stderr).toMatch(/^\(WebGPU: .*, tiled kernels\)$/m);
      expectFitNearCpu(train.stdout, spec);
      // --json says what ran, as those lines do: the route by name and the kernels (review cliprov35).
      expect(JSON.parse(train.stdout)).toMatchObject({ backend: 'webgpu', webgpuRoute: 'dawn', webgpuVariant: 'tiled' });
      // grad: within the bound of the grad test above (1e-6 on the loss), and dW₂[0][0] = the lecture's 0.0822.
      const grad = cli(['grad', FIXTURE, '--backend', 'both', '--webgpu-variant', 'blocked', '--json']);
      expect(grad.status, grad.log).toBe(0);
      expect(grad.stderr).toMatch(/^backprop: WebGPU in Node on Dawn .* — WebGPU: .*, blocked kernels$/m);
      const both = JSON.parse(grad.stdout) as { cpu: { loss: number }; webgpu: { loss: number; grads: { W: number[][][] } }; maxAbsDiff: number };
      expect(both.maxAbsDiff).toBeLessThanOrEqual(1e-6);
      expect(both.webgpu.grads.W[1]![0]![0]).toBeCloseTo(0.0822, 4);
      expect([both.cpu, both.webgpu]).toMatchObject([{ backend: 'cpu' }, { backend: 'webgpu', webgpuRoute: 'dawn', webgpuVariant: 'blocked' }]);
      // explain: exit 0 is every matrix value within the float32 bound of the scalar chain rule (src/notation/matrix.ts).
      const explain = cli(['explain', FIXTURE, '--param', 'w5', '--backend', 'webgpu', '--webgpu-variant', 'tiled']);
      expect(explain.status, explain.log).toBe(0);
      expect(explain.stderr).toMatch(/^backprop: WebGPU in Node on Dawn .* — WebGPU: .*, tiled kernels$/m);
      // check --json names the kernels that ran beside the backend; every lecture claim matches or is a known erratum.
      const check = cli(['check', 'src/lectures/lecture-2-2-1.worked.json', '--backend', 'webgpu', '--webgpu-variant', 'blocked', '--known-ok', '--json']);
      expect(check.status, check.log).toBe(0);
      expect(JSON.parse(check.stdout)).toMatchObject({ backend: 'webgpu', webgpuRoute: 'dawn', webgpuVariant: 'blocked', failed: false });
    });
  }, TEST_MS);

  it('backprop demo runs its WebGPU parts on Dawn, says so once, and every lecture value matches on every backend (cpu, wasm, webgpu)', async (ctx) => {
    const r = node(['bin/backprop.js', 'demo', '--steps', '5', '--epochs', '0'], FROM_SOURCE);
    const why = noDawn(r) ?? (/webgpu: UNAVAILABLE/.test(r.stdout) && NO_ADAPTER.test(r.stdout + r.stderr) ? r.stdout.split('\n').find((l) => /UNAVAILABLE/.test(l))! : null);
    skipWhen(ctx, why);
    expect(r.status, r.log).toBe(0);
    // Once: a rerun on SwiftShader in a child process must not follow lines the parent already printed.
    expect(r.stdout.match(/backprop-webgpu demo/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/^ {2}webgpu: .*, in Node on Dawn \(npm package webgpu\)$/m);
    expect(r.stdout).toMatch(/Every lecture value matches on every backend that ran/);
    expect(r.stdout).toMatch(/webgpu step 5\/5/);
    expect(r.stdout).toMatch(/^ {2}notes line +quantity +lecture +cpu +wasm +webgpu +verdict$/m);
    expect(r.stdout).toMatch(/\|end loss cpu − wasm\| = \S+\n {4}\|end loss cpu − webgpu\| = /);
  }, TEST_MS);
});
