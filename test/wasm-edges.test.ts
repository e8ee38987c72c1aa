/**
 * The wasm backend at its edges (src/wasm/program.ts, gemm.ts): no two arrays of a layout (layoutOf, and layoutOn's
 * partial-batch net on a larger one) overlapping, over random shapes and thread counts; and nets whose sizes sit on the GEMM's edges
 * (K = 1, 255, 256, 257 against KC = 256; 1-unit layers, 1 input, batch 1; widths not multiples of MR = 4 or NR = 8;
 * shared and no bias) against the CPU oracle within test/lib/tolerance.ts's bound on 1, 2 and 3 threads, and 8
 * threads on 3-unit layers (more threads than row strips), every thread count giving the same bits.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { type Net, biasLength, validateNet, validateSpec } from '../src/spec.ts';
import { mulberry32 } from '../src/init.ts';
import { type Layout, OPT_BLOCK, layoutOf, layoutOn } from '../src/wasm/program.ts';
import { ctlWords } from '../src/wasm/barrier.ts';
import { RELAXED_TILING, TILING, type Tiling } from '../src/wasm/gemm.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { type NetCase, describeCase, randomSpec } from './lib/random-nets.ts';
import { compareWithin, parityBounds } from './lib/tolerance.ts';
import { ELEMENTWISE } from './lib/activations.ts';

describe('layouts: no two arrays overlap', () => {
  // The tilings a backend uses (4 × 2 without relaxed SIMD, 6 × 2 with it) and one of the tests' own (BackendOptions.tiling).
  const TILINGS: Tiling[] = [TILING, RELAXED_TILING, { MR: 5, NV: 1, KC: 7 }];
  let MR = TILING.MR;
  let NR = 4 * TILING.NV;
  const ceilTo = (x: number, m: number): number => Math.ceil(x / m) * m;
  /** The packed operands' floats (the largest strip set and panel set of a step's GEMMs), counted here from the GEMMs' shapes. */
  const packs = (net: Net, n: number): { lhs: number; rhs: number } => {
    let lhs = 0;
    let rhs = 0;
    const gemm = (R: number, C: number, K: number): void => {
      lhs = Math.max(lhs, ceilTo(R, MR) * K);
      rhs = Math.max(rhs, ceilTo(C, NR) * K);
    };
    net.layers.forEach((layer, l) => {
      gemm(layer.units, n, layer.fanIn);
      gemm(layer.units, layer.fanIn, n);
      if (l > 0) gemm(layer.fanIn, n, layer.units);
    });
    return { lhs, rhs };
  };
  /** Every array a run of `net` at n examples reads or writes: [name, start, end) in bytes. */
  const regions = (net: Net, n: number, L: Layout, threads: number): [string, number, number][] => {
    const out: [string, number, number][] = [];
    const add = (what: string, at: number, bytes: number): void => { if (bytes > 0) out.push([what, at, at + bytes]); };
    const outputs = net.layers[net.layers.length - 1].units;
    add('ctl', L.ctl, ctlWords(threads) * 4);
    add('zero', L.zero, 16);
    add('loss', L.loss, 8);
    add('X', L.X, net.inputs * n * 4);
    add('Y', L.Y, outputs * n * 4);
    add('lossPerExample', L.lossPerExample, n * 4);
    add('outputStats', L.outputStats, 4 * n * 8);
    add('opt', L.opt, OPT_BLOCK.bytes);
    net.layers.forEach((layer, l) => {
      const a = L.layers[l];
      const wBytes = layer.units * layer.fanIn * 4;
      add(`W${l}`, a.W, wBytes); add(`b${l}`, a.b, biasLength(layer) * 4); add(`dW${l}`, a.dW, wBytes); add(`db${l}`, a.db, biasLength(layer) * 4);
      add(`Z${l}`, a.Z, layer.units * n * 4); add(`A${l}`, a.A, layer.units * n * 4); add(`delta${l}`, a.delta, layer.units * n * 4);
      if (layer.bias === 'shared') add(`rowSums${l}`, a.rowSums, layer.units * 4);
    });
    const p = packs(net, n);
    add('packRhs', L.packRhs, p.rhs * 4);
    for (let t = 0; t < threads; t++) {
      add(`tile${t}`, L.scratch + t * L.scratchBytes, MR * NR * 4);
      add(`packLhs${t}`, L.scratch + t * L.scratchBytes + L.packLhsOffset, p.lhs * 4);
    }
    return out;
  };
  /** Overlaps, 16-byte misalignment and anything outside [lo, hi). */
  const problems = (rs: [string, number, number][], lo: number, hi: number): string[] => {
    const sorted = [...rs].sort((a, b) => a[1] - b[1]);
    return sorted.flatMap(([what, start, end], k) => [
      ...(start < lo || end > hi ? [`${what} [${start}, ${end}) outside [${lo}, ${hi})`] : []),
      ...(start % 16 ? [`${what} at ${start}`] : []),
      ...(k > 0 && start < sorted[k - 1][2] ? [`${sorted[k - 1][0]} overlaps ${what}`] : []),
    ]);
  };

  it('layoutOf over 1 500 random nets (depth 1–4, widths and batches around MR, NR and KC, every bias mode) and 1 … 64 threads; layoutOn of each at a smaller batch: its own words apart, every other array inside the larger net\'s', () => {
    const rand = mulberry32(43);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 255, 256, 257];
    const found: string[] = [];
    for (let k = 0; k < 1500; k++) {
      const net = validateNet({
        inputs: pick(WIDTHS), loss: 'mse',
        layers: Array.from({ length: 1 + Math.floor(rand() * 4) }, () => ({ units: pick(WIDTHS), activation: 'tanh', bias: pick(['per-unit', 'shared', 'none'] as const) })),
      });
      const n = pick(WIDTHS);
      const threads = 1 + Math.floor(rand() * 64);
      const base = 16 * (1 + Math.floor(rand() * 1000));
      const tiling = TILINGS[k % TILINGS.length]!;
      MR = tiling.MR;
      NR = 4 * tiling.NV;
      const big = layoutOf(net, n, base, threads, tiling);
      const name = `${[net.inputs, ...net.layers.map((layer) => layer.units)].join('-')} n=${n} ${threads} threads ${MR}×${tiling.NV}`;
      found.push(...problems(regions(net, n, big, threads), base, big.end).map((p) => `${name}: ${p}`));
      if (n === 1) continue;
      const m = 1 + Math.floor(rand() * (n - 1));
      const onBase = big.end + 16 * Math.floor(rand() * 100);
      const small = layoutOn(big, net, m, onBase, threads, tiling);
      const OWN = ['ctl', 'zero', 'loss', 'opt'];
      const smallRegions = regions(net, m, small, threads);
      const bigRegions = new Map(regions(net, n, big, threads).map(([what, start, end]) => [what, [start, end]]));
      const onProblems = [
        ...problems(smallRegions.filter(([what]) => OWN.includes(what)), onBase, small.end),
        ...problems(smallRegions.filter(([what]) => /^(tile|packLhs)/.test(what)), big.scratch, big.scratch + threads * big.scratchBytes),
        ...smallRegions.filter(([what]) => !OWN.includes(what) && !/^(tile|packLhs)/.test(what)).flatMap(([what, start, end]) => {
          const [s, e] = bigRegions.get(what)!;
          return start < s || end > e ? [`${what} [${start}, ${end}) outside the larger net's [${s}, ${e})`] : [];
        }),
      ];
      found.push(...onProblems.map((p) => `${name}, on it n=${m}: ${p}`));
    }
    expect(found.slice(0, 5)).toEqual([]);
  });
});

describe('edge shapes against the CPU oracle on 1, 2, 3 and 8 threads, and on other tilings', () => {
  const backends = new Map<string, Promise<WasmBackend>>();
  const backend = (threads: number, tiling?: Tiling): Promise<WasmBackend> => {
    const key = `${threads} ${JSON.stringify(tiling ?? null)}`;
    if (!backends.has(key)) backends.set(key, WasmBackend.create({ threads, ...(tiling ? { tiling } : {}) }));
    return backends.get(key)!;
  };
  afterAll(async () => { for (const b of backends.values()) (await b).dispose(); });
  // Besides the backend's own tiling, Chromium's (6 × 2) and one whose K blocks are 7 long: every output is the same f32
  // sum over k ascending, so each gives the default's bits (2 threads each).
  const OTHER_TILINGS: Tiling[] = [RELAXED_TILING, { MR: 5, NV: 1, KC: 7 }];

  const ACTS = ELEMENTWISE;
  const LOSSES = ['mse', 'bce', 'softmax-cross-entropy'] as const;
  const BIASES = ['per-unit', 'shared', 'none'] as const;
  // [inputs, hidden, outputs, batch]: each GEMM's K (forward: fanIn; dW: the batch; backward: the next layer's units) at
  // 1, 255, 256 and 257 in whole MR × NR blocks (rows and columns ≥ 8) as well as edge blocks; 1-unit layers, 1 input,
  // batch 1; 3-unit layers (on 8 threads too: fewer row strips than threads).
  const SHAPES: [number, number[], number, number][] = [
    [1, [], 1, 1], [1, [1], 1, 1], [1, [8], 1, 8], [8, [4], 1, 1], [2, [8, 1], 1, 8],
    [255, [8], 2, 8], [256, [8], 1, 16], [257, [12], 3, 9],
    [9, [8], 1, 255], [8, [4], 2, 256], [17, [8], 1, 257],
    [3, [8, 257], 2, 8], [2, [255, 9], 3, 17], [5, [3, 3], 3, 33],
  ];
  const cases: { c: NetCase; threads: number[] }[] = [];
  SHAPES.forEach(([inputs, hidden, outputs, batch], s) => {
    LOSSES.forEach((loss, k) => {
      const seed = 4300 + 3 * s + k;
      cases.push({
        c: {
          seed, inputs, hidden, outputs: loss === 'softmax-cross-entropy' ? Math.max(2, outputs) : outputs, batch, loss,
          bias: BIASES[(s + k) % 3], reduction: seed % 2 ? 'sum' : 'mean',
          hiddenActivation: ACTS[seed % ACTS.length], outputActivation: loss === 'mse' ? ACTS[(seed >> 2) % ACTS.length] : loss === 'bce' ? 'sigmoid' : 'softmax',
        },
        threads: hidden.every((u) => u <= 3) && hidden.length > 0 ? [1, 2, 3, 8] : [1, 2, 3],
      });
    });
  });

  for (const { c, threads } of cases) {
    it(`${describeCase(c)} on ${threads.join(', ')} threads`, async () => {
      const spec = randomSpec(c);
      const valid = validateSpec(spec);
      const model = await Model.create(spec, { backend: 'cpu' });
      const cpu = await model.grad();
      model.dispose();
      const bounds = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu);
      const violations: string[] = [];
      const results: string[] = [];
      const runs = [...threads.map((t) => ({ t, tiling: undefined as Tiling | undefined })), ...OTHER_TILINGS.map((tiling) => ({ t: 2, tiling }))];
      for (const { t, tiling } of runs) {
        const b = await backend(tiling ? 2 : t <= 3 ? 3 : t, tiling);
        const net = b.compile(valid.net, c.batch);
        try {
          net.setThreads(t);
          net.writeParams(valid.params!);
          net.writeBatch(valid.batch!);
          net.run(1, 0, false);
          const w = await net.read({ loss: true, Z: true, A: true, delta: true, grads: true });
          const checks = [compareWithin('loss', [w.loss!], [cpu.loss], [bounds.loss])];
          valid.net.layers.forEach((_, l) => {
            checks.push(compareWithin(`Z${l + 1}`, w.Z![l], cpu.Z[l], bounds.Z[l]), compareWithin(`A${l + 1}`, w.A![l], cpu.A[l], bounds.A[l]),
              compareWithin(`delta${l + 1}`, w.delta![l], cpu.delta[l], bounds.delta[l]), compareWithin(`dW${l + 1}`, w.dW![l], cpu.dW[l], bounds.dW[l]),
              compareWithin(`db${l + 1}`, w.db![l], cpu.db[l], bounds.db[l]));
          });
          violations.push(...checks.flatMap((k) => k.violations).slice(0, 3).map((v) => `${t} threads ${v.what}[${v.index}]: wasm ${v.gpu} cpu ${v.cpu} > ${v.bound}`));
          results.push(JSON.stringify([w.loss, ...[w.Z!, w.A!, w.delta!, w.dW!, w.db!].flat().map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)))]));
        } finally {
          net.dispose();
        }
      }
      expect(violations).toEqual([]);
      const label = ({ t, tiling }: (typeof runs)[number]): string => `${t} threads${tiling ? ` ${tiling.MR}×${tiling.NV} KC ${tiling.KC}` : ''}`;
      expect(results.map((r, k) => (r === results[0] ? 'same' : `${label(runs[k]!)} differ from 1 thread`))).toEqual(runs.map(() => 'same'));
    });
  }
});
