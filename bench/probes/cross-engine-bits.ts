/**
 * The same bits in every engine? test/lib/cross-engine-jobs.ts's jobs (seeded init, the lab's data sets, fits on
 * cpu and wasm, the lectures' grads and explain text) and its raw libm table (Math.exp/log/cos/sin/tanh/log1p/expm1/
 * sqrt/pow over 100 000 seeded doubles each), run in Node and in each browser given, compared with Node's bit for bit.
 * Prints one table: per engine, which jobs match and, where one does not, how many values differ and by how much;
 * per libm function, how many outputs differ from Node's and by at most how many ulps.
 *
 *   node --import ./bin/register-source.mjs bench/probes/cross-engine-bits.ts                  # chromium firefox webkit
 *   node --import ./bin/register-source.mjs bench/probes/cross-engine-bits.ts firefox webkit   # some of them
 *
 *   XBITS_DUMP=/tmp/xbits node --import ./bin/register-source.mjs bench/probes/cross-engine-bits.ts           # + raw outputs, for
 *   gcc -O0 -fno-builtin -o /tmp/xbits-glibc bench/probes/cross-engine-glibc.c -lm && /tmp/xbits-glibc /tmp/xbits  # glibc's against each
 *
 * README ("Checkpoints": The same bits in another engine) quotes a run (2026-12-07).
 * The pages come from a Vite dev server on the checkout (src/node/server.ts; cross-origin isolated); each imports
 * the jobs module from it. Firefox: Debian's firefox-esr (src/node/firefox.ts); WebKit: WebKitGTK's MiniBrowser over
 * WebDriver (test/browser/webkit.ts; no SharedArrayBuffer: wasm on 1 thread, as every job here is).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/index.ts';
import { launchChromium } from '../../src/node/chromium.ts';
import { launchFirefox } from '../../src/node/firefox.ts';
import { HARNESS_PATH, startServer } from '../../src/node/server.ts';
import { engineReport, LIBM } from '../../test/lib/cross-engine-jobs.ts';
import { launchWebKit } from '../../test/browser/webkit.ts';

type Engine = 'chromium' | 'firefox' | 'webkit';
interface Job { name: string; hash: string; count: number; b64: string }

const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];
const asked = process.argv.slice(2);
const bad = asked.filter((a) => !ENGINES.includes(a as Engine));
if (bad.length > 0) throw new Error(`unknown engine ${bad.join(', ')}; known: ${ENGINES.join(', ')}`);
const engines = (asked.length > 0 ? asked : ENGINES) as Engine[];

const f64 = (b64: string): Float64Array => {
  const buf = Buffer.from(b64, 'base64');
  return new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
};

/** The distance in ulps of two finite doubles of the same sign (their bit patterns as integers); Infinity otherwise. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || Math.sign(a) !== Math.sign(b)) return Infinity;
  const ia = new BigInt64Array(Float64Array.of(a).buffer)[0];
  const ib = new BigInt64Array(Float64Array.of(b).buffer)[0];
  return Number(ia > ib ? ia - ib : ib - ia);
}

/** As ulps, of float32 values (where both are float32 values: the init, fit and lecture jobs). */
function ulps32(a: number, b: number): number {
  if (Math.fround(a) !== a || Math.fround(b) !== b) return ulps(a, b);
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || Math.sign(a) !== Math.sign(b)) return Infinity;
  const ia = new Int32Array(Float32Array.of(a).buffer)[0];
  const ib = new Int32Array(Float32Array.of(b).buffer)[0];
  return Math.abs(ia - ib);
}

interface Diff { differ: number; maxUlps: number; maxAbs: number; maxRel: number; differ32: number }
/** How many of `got` differ from `ref`, by at most how many ulps, |Δ| and |Δ|/|ref|; and how many differ once rounded to float32. */
function compare(ref: Float64Array, got: Float64Array, dist: (a: number, b: number) => number): Diff {
  if (ref.length !== got.length) throw new Error(`${got.length} values, not ${ref.length}`);
  let differ = 0, maxUlps = 0, maxAbs = 0, maxRel = 0, differ32 = 0;
  for (let i = 0; i < ref.length; i++) {
    if (Object.is(ref[i], got[i])) continue;
    differ++;
    if (!Object.is(Math.fround(ref[i]), Math.fround(got[i]))) differ32++;
    maxUlps = Math.max(maxUlps, dist(ref[i], got[i]));
    maxAbs = Math.max(maxAbs, Math.abs(ref[i] - got[i]));
    maxRel = Math.max(maxRel, Math.abs(ref[i] - got[i]) / Math.abs(ref[i]));
  }
  return { differ, maxUlps, maxAbs, maxRel, differ32 };
}

/** Run `part` in a page of `engine` on the server at `base`: the page's report (JSON) and the engine's version. */
async function inEngine(engine: Engine, base: string): Promise<{ version: string; jobs: string; libm: string }> {
  const url = new URL(HARNESS_PATH, base).href;
  const call = (part: string) => `import('/test/lib/cross-engine-jobs.ts').then((m) => m.engineReport('${part}'))`;
  if (engine === 'webkit') {
    const wk = await launchWebKit();
    try {
      await wk.navigate(url);
      const run = (part: string) => wk.executeAsync<string>(`const done = arguments[arguments.length - 1];
        ${call(part)}.then(done, (e) => done('ERROR ' + String(e && e.stack || e)));`);
      return { version: `WebKitGTK ${wk.version}`, jobs: await run('jobs'), libm: await run('libm') };
    } finally {
      await wk.close();
    }
  }
  const browser = engine === 'firefox' ? await launchFirefox() : await launchChromium({ probeUrl: url });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const run = (part: string) => page.evaluate(`${call(part)}.catch((e) => 'ERROR ' + String(e && e.stack || e))`) as Promise<string>;
    return { version: await browser.version(), jobs: await run('jobs'), libm: await run('libm') };
  } finally {
    await browser.close();
  }
}

const node = { version: `Node ${process.versions.node} (V8 ${process.versions.v8})`, jobs: await engineReport('jobs'), libm: await engineReport('libm') };
const { jobs: refJobs, simd: refSimd } = JSON.parse(node.jobs) as { jobs: Job[]; simd: string };
const refLibm = JSON.parse(node.libm) as Record<string, string>;
console.log(`reference: ${node.version}, wasm 'auto': ${refSimd} SIMD; ${refJobs.length} jobs, libm ${Object.keys(LIBM).length} functions × 100000`);

/** XBITS_DUMP=folder: each engine's libm outputs written there as raw float64 (node-exp.f64, chromium-exp.f64, …), inputs as input-exp.f64. */
const dump = process.env.XBITS_DUMP;
if (dump) {
  mkdirSync(dump, { recursive: true });
  for (const [name, b64] of Object.entries(refLibm)) writeFileSync(join(dump, `node-${name}.f64`), f64(b64));
  for (const [name, { input }] of Object.entries(LIBM)) {
    const r = mulberry32(2026);
    writeFileSync(join(dump, `input-${name}.f64`), Float64Array.from({ length: 100_000 }, () => input(r)));
  }
}
let first: { engine: Engine; libm: Record<string, string>; jobs: Job[]; simd: string } | undefined;

const served = await startServer();
try {
  for (const engine of engines) {
    const got = await inEngine(engine, served.url);
    console.log(`\n== ${engine}: ${got.version}`);
    for (const [part, text] of [['jobs', got.jobs], ['libm', got.libm]]) if (text.startsWith('ERROR')) throw new Error(`${engine} ${part}: ${text}`);
    const { jobs, simd } = JSON.parse(got.jobs) as { jobs: Job[]; simd: string };
    console.log(`  wasm 'auto': ${simd} SIMD`);
    const byName = new Map(jobs.map((j) => [j.name, j]));
    let same = 0;
    const groups = new Map<string, { same: number; all: number }>();
    for (const ref of refJobs) {
      const g = byName.get(ref.name);
      const group = ref.name.split('/').slice(0, ref.name.startsWith('fit') || ref.name.startsWith('lecture') ? 2 : 1).join('/');
      const tally = groups.get(group) ?? { same: 0, all: 0 };
      tally.all++;
      groups.set(group, tally);
      if (g?.hash === ref.hash) { same++; tally.same++; continue; }
      if (!g) { console.log(`  ${ref.name}: missing`); continue; }
      const c = ref.b64 ? compare(f64(ref.b64), f64(g.b64), ulps32) : undefined;
      console.log(`  ${ref.name}: DIFFERS${c ? ` — ${c.differ} of ${ref.count} values, max ${c.maxUlps} ulp (of float32 where both are float32 values), max |Δ| ${c.maxAbs.toExponential(2)}, max |Δ|/|x| ${c.maxRel.toExponential(2)}` : ' (text)'}`);
    }
    console.log(`  jobs: ${same} of ${refJobs.length} bit-identical to Node's; ${[...groups].map(([k, t]) => `${k} ${t.same}/${t.all}`).join(', ')}`);
    if (first) {
      const theirs = new Map(first.jobs.map((j) => [j.name, j.hash]));
      const off = jobs.filter((j) => theirs.get(j.name) !== j.hash).map((j) => j.name);
      console.log(`  jobs bit-identical to ${first.engine}'s (wasm 'auto': ${first.simd} SIMD there): ${jobs.length - off.length} of ${jobs.length}${off.length ? `; not: ${off.join(' ')}` : ''}`);
    }
    const libm = JSON.parse(got.libm) as Record<string, string>;
    if (dump) for (const [name, b64] of Object.entries(libm)) writeFileSync(join(dump, `${engine}-${name}.f64`), f64(b64));
    const rows = (against: Record<string, string>) => Object.keys(refLibm).map((name) => {
      const c = compare(f64(against[name]), f64(libm[name]), ulps);
      return `${name} ${c.differ}${c.differ ? ` (max ${c.maxUlps} ulp; as float32 ${c.differ32})` : ''}`;
    }).join(', ');
    console.log(`  libm, outputs of 100000 that differ from Node's: ${rows(refLibm)}`);
    if (first) console.log(`  libm, outputs of 100000 that differ from ${first.engine}'s: ${rows(first.libm)}`);
    else first = { engine, libm, jobs, simd };
  }
} finally {
  await served.close();
}
