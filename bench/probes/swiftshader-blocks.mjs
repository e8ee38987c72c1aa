/**
 * Probe (not part of the engine or of `npm run bench`): how fast matmul.wgsl's main_blocked and
 * matmul_subgroups.wgsl's main_blocked_subgroup are on SwiftShader against other register-block shapes, other
 * ways of sharing the lhs in a subgroup, atomicLoad reads, fma and unrolled k, one product at a time, in Node on
 * Dawn (npm package `webgpu`) with Chromium's SwiftShader. bench/RESULTS.md "ours-webgpu on SwiftShader: block
 * shapes, loads, and what 2× TF.js webgl would take" quotes its figures.
 * Run (Debian's chromium ships SwiftShader's Vulkan driver):
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     node bench/probes/swiftshader-blocks.mjs ['[[R,K,C,transL,transR],…]' [subgroup|blocks|loads|fma|unroll|arith|sgunroll,…]]
 *
 * Time is the CPU time of every thread but Node's main one (SwiftShader's workers; Dawn polls on the main thread),
 * min of interleaved repetitions: on this shared 2-core machine wall time swings ±30 % between identical kernels.
 * The variants are generated here as WGSL text after matmul.wgsl (its Dims, bindings, strides and epilogue): a
 * probe's convenience, never the engine's way. Each is checked bitwise against the reference (same summation
 * order), with the output filled with NaN first so that a missed entry shows.
 */
import { readFileSync } from 'node:fs';
import { dispatcher, probeDevice, readFloats, timeInterleaved } from './dawn.mjs';

/** One entry point: RB rows × CB columns per invocation; loads plain or atomic; columns interleaved by WG_X or adjacent. */
function variant(name, RB, CB, { atomicL = false, atomicR = false, interleave = false, noLoads = false, fma = false, unroll = 1 } = {}) {
  const rw = name.startsWith('a_');
  const ldL = (i) => (noLoads ? `f32(${i})` : atomicL ? `bitcast<f32>(atomicLoad(&lhsA[${i}]))` : rw ? `lhsW[${i}]` : `lhs[${i}]`);
  const ldR = (i) => (noLoads ? `f32(${i})` : atomicR ? `bitcast<f32>(atomicLoad(&rhsA[${i}]))` : rw ? `rhsW[${i}]` : `rhs[${i}]`);
  const L = [`@compute @workgroup_size(WG_X, WG_Y)`,
    `fn ${name}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`,
    `  let g = group_index(wid, nwg);`, `  if (g >= dims.total) { return; }`, `  let R = dims.R; let K = dims.K; let C = dims.C;`,
    interleave ? `  let c0 = (g % dims.groups_x) * WG_X * ${CB}u + lid.x; let cs = WG_X;` : `  let c0 = ((g % dims.groups_x) * WG_X + lid.x) * ${CB}u; let cs = 1u;`,
    `  let r0 = ((g / dims.groups_x) * WG_Y + lid.y) * ${RB}u;`, `  if (r0 >= R || c0 >= C) { return; }`,
    `  let lr = l_r(); let rc = r_c(); let lk = l_k(); let rk = r_k();`];
  const nv = CB / 4;
  for (let i = 0; i < RB; i++) L.push(`  let o${i} = min(r0 + ${i}u, R - 1u) * lr;`);
  for (let j = 0; j < CB; j++) L.push(`  let p${j} = min(c0 + ${j}u * cs, C - 1u) * rc;`);
  for (let i = 0; i < RB; i++) for (let v = 0; v < nv; v++) L.push(`  var s${i}_${v} = vec4<f32>(0.0);`);
  const U = unroll;
  L.push(`  for (var k0 = 0u; k0 < K; k0 += ${U}u) {`);
  for (let u = 0; u < U; u++) {
    L.push(`    let kr${u} = (k0 + ${u}u) * rk; let kl${u} = (k0 + ${u}u) * lk;`);
    for (let v = 0; v < nv; v++) L.push(`    let b${v}_${u} = vec4<f32>(${[0, 1, 2, 3].map((q) => ldR(`kr${u} + p${4 * v + q}`)).join(', ')});`);
  }
  for (let i = 0; i < RB; i++) {
    for (let u = 0; u < U; u++) L.push(`    let a${i}_${u} = ${ldL(`kl${u} + o${i}`)};`);
    for (let v = 0; v < nv; v++) {
      L.push(fma
        ? `    s${i}_${v} = ${Array.from({ length: U }, (_, u) => u).reduce((acc, u) => `fma(vec4<f32>(a${i}_${u}), b${v}_${u}, ${acc})`, `s${i}_${v}`)};`
        : `    s${i}_${v} = s${i}_${v}${Array.from({ length: U }, (_, u) => ` + a${i}_${u} * b${v}_${u}`).join('')};`);
    }
  }
  L.push(`  }`);
  for (let i = 0; i < RB; i++) for (let v = 0; v < nv; v++) for (let q = 0; q < 4; q++) {
    const c = `c0 + ${4 * v + q}u * cs`;
    L.push(`  if (r0 + ${i}u < R && ${c} < C) { store(r0 + ${i}u, ${c}, s${i}_${v}[${q}]); }`);
  }
  L.push(`}`);
  return { name, RB, CB, code: L.join('\n'), rw, check: !noLoads, unroll };
}

/**
 * Subgroup of 4 lanes (SwiftShader) shares RB rows: lane l loads rows 4q+l, subgroupBroadcast gives each lane all RB.
 * unroll U: U values of k per loop iteration, the U products summed left to right into each accumulator (the same
 * order), then a one-k tail loop for K mod U.
 */
function sgb(name, RB, CB, { wgx = 4, unroll = 1 } = {}) {
  const L = [`@compute @workgroup_size(WG_X, WG_Y)`,
    `fn ${name}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {`,
    `  let g = group_index(wid, nwg);`, `  if (g >= dims.total) { return; }`, `  let R = dims.R; let K = dims.K; let C = dims.C;`,
    `  let c0 = ((g % dims.groups_x) * WG_X + lid.x) * ${CB}u;`,
    `  let r0 = (g / dims.groups_x) * ${RB}u;`,
    `  let lr = l_r(); let rc = r_c(); let lk = l_k(); let rk = r_k();`];
  const nv = CB / 4, nq = RB / 4;
  for (let q = 0; q < nq; q++) L.push(`  let o${q} = min(r0 + ${4 * q}u + lane, R - 1u) * lr;`);
  for (let j = 0; j < CB; j++) L.push(`  let p${j} = min(c0 + ${j}u, C - 1u) * rc;`);
  for (let i = 0; i < RB; i++) for (let v = 0; v < nv; v++) L.push(`  var s${i}_${v} = vec4<f32>(0.0);`);
  const body = (U, kexpr) => {
    for (let u = 0; u < U; u++) {
      L.push(`    let kr${u} = (${kexpr} + ${u}u) * rk; let kl${u} = (${kexpr} + ${u}u) * lk;`);
      for (let v = 0; v < nv; v++) L.push(`    let b${v}_${u} = vec4<f32>(${[0, 1, 2, 3].map((q) => `rhs[kr${u} + p${4 * v + q}]`).join(', ')});`);
      for (let q = 0; q < nq; q++) L.push(`    let x${q}_${u} = lhs[kl${u} + o${q}];`);
    }
    for (let q = 0; q < nq; q++) for (let j = 0; j < 4; j++) {
      const i = 4 * q + j;
      for (let u = 0; u < U; u++) L.push(`    let a${i}_${u} = subgroupBroadcast(x${q}_${u}, ${j}u);`);
      for (let v = 0; v < nv; v++) L.push(`    s${i}_${v} = s${i}_${v}${Array.from({ length: U }, (_, u) => ` + a${i}_${u} * b${v}_${u}`).join('')};`);
    }
  };
  const U = unroll;
  L.push(`  let KU = K - K % ${U}u;`, `  for (var k = 0u; k < KU; k += ${U}u) {`);
  body(U, 'k');
  L.push(`  }`);
  if (U > 1) { L.push(`  for (var k = KU; k < K; k++) {`); body(1, 'k'); L.push(`  }`); }
  L.push(`  if (c0 >= C) { return; }`);
  for (let i = 0; i < RB; i++) for (let v = 0; v < nv; v++) for (let q = 0; q < 4; q++) {
    const c = `c0 + ${4 * v + q}u`;
    L.push(`  if (r0 + ${i}u < R && ${c} < C) { store(r0 + ${i}u, ${c}, s${i}_${v}[${q}]); }`);
  }
  L.push(`}`);
  return { name, RB, CB, code: L.join('\n'), rw: false, check: true, sg: wgx };
}

// The variants, in sets (the second argument picks them; default: subgroup). Every run starts with v16x4 (the
// reference), main_blocked and main_blocked_subgroup, the engine's entry points as matmul*.wgsl have them.
const SETS = {
  blocks: () => [variant('v16x8', 16, 8), variant('v8x16', 8, 16), variant('v16x12', 16, 12), variant('v24x8', 24, 8)],
  loads: () => [
    variant('a_L', 16, 4, { atomicL: true }), variant('a_R', 16, 4, { atomicR: true, interleave: true }),
    variant('a_LR', 16, 4, { atomicL: true, atomicR: true, interleave: true }), variant('noloads16x4', 16, 4, { noLoads: true }),
  ],
  // fma(a, b, s): bitwise equal to s + a·b here (SwiftShader does not fuse), so checked like the others.
  fma: () => [variant('f12x8', 12, 8, { fma: true }), variant('f16x8', 16, 8, { fma: true })],
  // k unrolled U times, the U products summed left to right into the accumulator (the same order).
  unroll: () => [variant('u12x8x2', 12, 8, { unroll: 2 }), variant('u12x8x4', 12, 8, { unroll: 4 }), variant('u8x8x4', 8, 8, { unroll: 4 }),
    variant('u16x4x2', 16, 4, { unroll: 2 }), variant('u16x8x2', 16, 8, { unroll: 2 }), variant('u16x8x4', 16, 8, { unroll: 4 }), variant('u4x4x4', 4, 4, { unroll: 4 })],
  // Arithmetic only (loads replaced by f32(index)): how much of a product is the multiply-adds, and whether
  // summing U products per accumulator update (k unrolled) makes the arithmetic itself cheaper.
  arith: () => [variant('n16x8', 16, 8, { noLoads: true }), variant('n16x4x2', 16, 4, { noLoads: true, unroll: 2 }),
    variant('n16x4x4', 16, 4, { noLoads: true, unroll: 4 }), variant('n4x4', 4, 4, { noLoads: true }), variant('n4x4x4', 4, 4, { noLoads: true, unroll: 4 })],
  sgunroll: () => [sgb('sg16x8x2', 16, 8, { unroll: 2 }), sgb('sg16x8x4', 16, 8, { unroll: 4 }), sgb('sg8x8x2', 8, 8, { unroll: 2 }), sgb('sg8x8x4', 8, 8, { unroll: 4 }), sgb('sg16x4x2', 16, 4, { unroll: 2 }), sgb('sg16x4x4', 16, 4, { unroll: 4 })],
  subgroup: () => [sgb('sg12x8', 12, 8), sgb('sg24x4', 24, 4), sgb('sg20x8', 20, 8), sgb('sg16x12', 16, 12), sgb('sg32x4', 32, 4), sgb('sg32x8', 32, 8), sgb('sg16x8w16', 16, 8, { wgx: 16 })],
};
const VARIANTS = [
  variant('v16x4', 16, 4), // main_blocked before 12×8: the reference
  { name: 'main_blocked', RB: 12, CB: 8, code: '', rw: false, check: true },
  { name: 'main_blocked_subgroup', RB: 16, CB: 8, code: '', rw: false, check: true, sg: 4 },
  ...(process.argv[3] ?? 'subgroup').split(',').flatMap((set) => SETS[set]()),
];
const HEADER = `@group(0) @binding(1) var<storage, read_write> lhsW: array<f32>;
@group(0) @binding(2) var<storage, read_write> rhsW: array<f32>;
@group(0) @binding(1) var<storage, read_write> lhsA: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read_write> rhsA: array<atomic<u32>>;`;

const device = await probeDevice(['subgroups'], '');
const shader = (file) => readFileSync(new URL(`../../shaders/${file}`, import.meta.url), 'utf8');
const code = ['enable subgroups;', shader('matmul.wgsl'), shader('matmul_subgroups.wgsl'), HEADER, ...VARIANTS.map((v) => v.code)].join('\n');
const module = device.createShaderModule({ label: 'probe', code });
for (const m of (await module.getCompilationInfo()).messages) console.log(`probe:${m.lineNum}:${m.linePos} ${m.type} ${m.message}`);
const layoutOf = (types) => device.createBindGroupLayout({ entries: types.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })) });
const bglRead = layoutOf(['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage', 'storage']);
const bglRw = layoutOf(['uniform', 'storage', 'storage', 'read-only-storage', 'storage', 'storage']);

function rand(n, seed) {
  let s = seed;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; a[i] = s / 2 ** 32 - 0.5; }
  return a;
}
const U = GPUBufferUsage;
function buffer(data, usage) {
  const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: usage | U.COPY_DST });
  device.queue.writeBuffer(b, 0, data);
  return b;
}

async function product([R, K, C, transL, transR]) {
  const lhs = buffer(rand(R * K, 1), U.STORAGE), rhs = buffer(rand(K * C, 2), U.STORAGE), aux = buffer(new Float32Array(R), U.STORAGE);
  const out = device.createBuffer({ size: R * C * 4, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
  const out2 = device.createBuffer({ size: 16, usage: U.STORAGE });
  const runs = [];
  // An unrolled variant reads past K unless U divides it: left out of such shapes.
  for (const v of VARIANTS.filter((x) => K % (x.unroll ?? 1) === 0)) {
    const wgx = v.sg ? v.sg : Math.min(4, 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(C / v.CB)))));
    const wgy = v.sg ? 1 : Math.min(4, 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(R / v.RB)))));
    const gx = Math.ceil(Math.ceil(C / v.CB) / wgx), gy = Math.ceil(Math.ceil(R / v.RB) / wgy);
    const dims = new DataView(new ArrayBuffer(32));
    [R, K, C, gx, gx * gy].forEach((x, i) => dims.setUint32(4 * i, x, true));
    dims.setFloat32(20, 1, true);
    const bgl = v.rw ? bglRw : bglRead;
    const pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [bgl] }),
      compute: { module, entryPoint: v.name, constants: { WG_X: wgx, WG_Y: wgy, SG_WG: wgx, TRANS_L: transL, TRANS_R: transR, EPILOGUE: 2 } },
    });
    const bindGroup = device.createBindGroup({ layout: bgl, entries: [buffer(new Uint8Array(dims.buffer), U.UNIFORM), lhs, rhs, aux, out, out2].map((b, binding) => ({ binding, resource: { buffer: b } })) });
    const go = dispatcher(device, pipeline, bindGroup, gx, gy);
    device.queue.writeBuffer(out, 0, new Float32Array(R * C).fill(NaN));
    await go(1);
    runs.push({ v, go, result: await readFloats(device, out, R * C), ms: [] });
  }
  const ref = runs[0].result;
  await timeInterleaved(runs, R * K * C > 1e8);
  const base = Math.min(...runs[0].ms);
  console.log(`${R}×${K}×${C}${transL ? ' TRANS_L' : ''}${transR ? ' TRANS_R' : ''}  (worker CPU ms, min; ×: v16x4 ÷ this)`);
  for (const r of runs) {
    let err = 0; for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(r.result[i] - ref[i]) / (Math.abs(ref[i]) + 1e-3));
    const same = r.v.check ? (r.result.every((x, i) => Object.is(x, ref[i])) ? 'bitwise = v16x4' : `DIFFERS from v16x4 (max rel ${err.toExponential(1)})`) : 'timing only';
    const ms = Math.min(...r.ms);
    console.log(`  ${r.v.name.padEnd(13)} ${ms.toFixed(1).padStart(8)} ms  ${(base / ms).toFixed(2)}×  ${same}`);
  }
}

const shapes = JSON.parse(process.argv[2] ?? '[[256,784,256,0,0],[256,256,256,1,0],[256,256,784,0,1],[1024,1024,1024,0,0],[1024,1024,1024,1,0],[1024,1024,1024,0,1],[128,64,784,0,1],[10,256,256,0,0],[13,17,29,1,1]]');
for (const s of shapes) await product(s);
device.destroy();
process.exit(0);
