/**
 * Child process of test/dawn.test.ts: WebGPU in Node on Dawn (src/webgpu/gpu.ts), run as
 * `node --import ./bin/register-source.mjs test/dawn/run.ts` with the Vulkan loader's environment already set.
 * Prints one JSON line: the adapter, every lecture claim that failed on Dawn, and the parity violations of a sample
 * of the random nets of test/browser/parity.test.ts against the CPU oracle (bounds of test/lib/tolerance.ts), and
 * what went wrong in each of test/lib/queue-checks.ts (calls not awaited end as a twin awaiting each, on WebGPU).
 */
import { createBackend } from '../../src/backends.ts';
import { Model } from '../../src/model.ts';
import { validateSpec } from '../../src/spec.ts';
import type { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { LECTURES, checkLecture, collectRuns, describeCheck, passes } from '../lib/claims.ts';
import { QUEUE_CHECKS } from '../lib/queue-checks.ts';
import { describeCase, parityCases, randomSpec } from '../lib/random-nets.ts';
import { compareWithin, parityBounds } from '../lib/tolerance.ts';

const SAMPLE = Number(process.env.DAWN_PARITY_SAMPLE ?? 8);

// One device for every model (shaders compiled once; SwiftShader compiles slowly).
const shared = (await createBackend('webgpu')).backend as WebGpuBackend;
const adapter = shared.description;
const dawn = shared.dawn;
const onDawn = (spec: unknown) => Model.create(spec, { shared });

const lectures: { id: string; claims: number; failed: string[] }[] = [];
for (const l of LECTURES) {
  const runs = await collectRuns(onDawn, l.worked.spec);
  const results = checkLecture(l, 'webgpu', runs);
  lectures.push({ id: l.id, claims: results.length, failed: results.filter((r) => !passes(r) || (r.erratum && (!r.erratum.matchesCorrect || r.matches))).map(describeCheck) });
}

const cases = parityCases();
const step = Math.max(1, Math.floor(cases.length / SAMPLE));
const parity: { net: string; violations: string[] }[] = [];
for (const c of cases.filter((_, i) => i % step === 0).slice(0, SAMPLE)) {
  const spec = randomSpec(c);
  const valid = validateSpec(spec);
  const cpuModel = await Model.create(spec, { backend: 'cpu' });
  const cpu = await cpuModel.grad();
  cpuModel.dispose();
  const gpuModel = await onDawn(spec);
  const gpu = await gpuModel.grad();
  gpuModel.dispose();
  const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu);
  const checks = [compareWithin('loss', [gpu.loss], [cpu.loss], [b.loss])];
  valid.net.layers.forEach((_, l) => {
    for (const k of ['Z', 'A', 'delta', 'dW', 'db'] as const) checks.push(compareWithin(`${k}${l + 1}`, gpu[k][l]!, cpu[k][l]!, b[k][l]!));
  });
  parity.push({ net: describeCase(c), violations: checks.flatMap((k) => k.violations).slice(0, 3).map((v) => `${v.what}[${v.index}]: gpu ${v.gpu} cpu ${v.cpu} > ${v.bound}`) });
}

const queue: Record<string, string[]> = {};
for (const [name, check] of Object.entries(QUEUE_CHECKS)) queue[name] = await check(onDawn);

shared.dispose();
process.stdout.write(`${JSON.stringify({ adapter, dawn, lectures, parity, queue })}\n`);
