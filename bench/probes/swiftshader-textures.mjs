/**
 * Probe (not part of the engine or of `npm run bench`): does reading a product's operands from rgba32float
 * textures (textureLoad: 4 floats a lane per load) make a small, register-resident block faster on SwiftShader
 * than the engine's storage-buffer kernels (bench/RESULTS.md "ours-webgpu on SwiftShader: block shapes, loads, and
 * what 2× TF.js webgl would take")? In Node on Dawn with Chromium's
 * SwiftShader, timed as swiftshader-blocks.mjs times (worker CPU, min of interleaved repetitions):
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium \
 *     node bench/probes/swiftshader-textures.mjs ['[[R,K,C],…]']
 *
 * out = lhs · rhs (R×K times K×C, no transposes). lhs as a K/4 × R texture (a texel: 4 k's of one row), rhs as a
 * C/4 × K texture (a texel: 4 columns of one k). An invocation computes RB rows × 4·CV columns; the 4 lanes of a
 * SwiftShader SIMD group are neighbouring column quads. Checked against a float64 product on the CPU.
 */
import { dispatcher, probeDevice, readFloats, timeInterleaved } from './dawn.mjs';

function kernel(name, RB, CV) {
  const L = [`@compute @workgroup_size(WG_X, WG_Y)`,
    `fn ${name}(@builtin(global_invocation_id) id: vec3<u32>) {`,
    `  let cq0 = id.x * ${CV}u; let r0 = id.y * ${RB}u;`,
    `  if (cq0 >= dims.CQ || r0 >= dims.R) { return; }`];
  for (let i = 0; i < RB; i++) for (let v = 0; v < CV; v++) L.push(`  var s${i}_${v} = vec4<f32>(0.0);`);
  for (let i = 0; i < RB; i++) L.push(`  let y${i} = i32(min(r0 + ${i}u, dims.R - 1u));`);
  for (let v = 0; v < CV; v++) L.push(`  let x${v} = i32(min(cq0 + ${v}u, dims.CQ - 1u));`);
  L.push(`  for (var kq = 0; kq < i32(dims.KQ); kq++) {`);
  for (let i = 0; i < RB; i++) L.push(`    let a${i} = textureLoad(lhsT, vec2<i32>(kq, y${i}), 0);`);
  for (let j = 0; j < 4; j++) {
    for (let v = 0; v < CV; v++) L.push(`    let b${j}_${v} = textureLoad(rhsT, vec2<i32>(x${v}, 4 * kq + ${j}), 0);`);
    for (let i = 0; i < RB; i++) for (let v = 0; v < CV; v++) L.push(`    s${i}_${v} = s${i}_${v} + a${i}[${j}] * b${j}_${v};`);
  }
  L.push(`  }`);
  for (let i = 0; i < RB; i++) for (let v = 0; v < CV; v++) {
    L.push(`  if (r0 + ${i}u < dims.R && cq0 + ${v}u < dims.CQ) { let o = (r0 + ${i}u) * dims.CQ + cq0 + ${v}u; out[o] = s${i}_${v}; }`);
  }
  L.push(`}`);
  return { name, RB, CV, code: L.join('\n') };
}

const VARIANTS = [kernel('t1x1', 1, 1), kernel('t2x1', 2, 1), kernel('t4x1', 4, 1), kernel('t2x2', 2, 2), kernel('t4x2', 4, 2), kernel('t8x1', 8, 1)];
const HEADER = `struct Dims { R: u32, KQ: u32, CQ: u32, pad: u32 }
@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var lhsT: texture_2d<f32>;
@group(0) @binding(2) var rhsT: texture_2d<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4<f32>>;
override WG_X: u32 = 4;
override WG_Y: u32 = 4;`;

const device = await probeDevice([], ' (textures)');
const module = device.createShaderModule({ label: 'probe', code: [HEADER, ...VARIANTS.map((v) => v.code)].join('\n') });
for (const m of (await module.getCompilationInfo()).messages) console.log(`probe:${m.lineNum}:${m.linePos} ${m.type} ${m.message}`);
const bgl = device.createBindGroupLayout({ entries: [
  { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
  { binding: 1, visibility: GPUShaderStage.COMPUTE, texture: { sampleType: 'unfilterable-float' } },
  { binding: 2, visibility: GPUShaderStage.COMPUTE, texture: { sampleType: 'unfilterable-float' } },
  { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
] });

function rand(n, seed) {
  let s = seed;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; a[i] = s / 2 ** 32 - 0.5; }
  return a;
}
function texture(data, w, h) {
  const t = device.createTexture({ size: [w, h], format: 'rgba32float', usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST });
  device.queue.writeTexture({ texture: t }, data, { bytesPerRow: 16 * w }, [w, h]);
  return t;
}

async function product([R, K, C]) {
  const A = rand(R * K, 1), B = rand(K * C, 2);
  const lhsT = texture(A, K / 4, R), rhsT = texture(B, C / 4, K);
  const ref = new Float64Array(R * C);
  for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) { const a = A[r * K + k]; for (let c = 0; c < C; c++) ref[r * C + c] += a * B[k * C + c]; }
  const out = device.createBuffer({ size: R * C * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const uni = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(uni, 0, new Uint32Array([R, K / 4, C / 4, 0]));
  const bindGroup = device.createBindGroup({ layout: bgl, entries: [
    { binding: 0, resource: { buffer: uni } }, { binding: 1, resource: lhsT.createView() },
    { binding: 2, resource: rhsT.createView() }, { binding: 3, resource: { buffer: out } }] });
  const runs = [];
  for (const v of VARIANTS) {
    const pipeline = device.createComputePipeline({ layout: device.createPipelineLayout({ bindGroupLayouts: [bgl] }), compute: { module, entryPoint: v.name } });
    const gx = Math.ceil(C / 4 / v.CV / 4), gy = Math.ceil(R / v.RB / 4);
    const go = dispatcher(device, pipeline, bindGroup, gx, gy);
    device.queue.writeBuffer(out, 0, new Float32Array(R * C).fill(NaN));
    await go(1);
    const got = await readFloats(device, out, R * C);
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - ref[i]) / (Math.abs(ref[i]) + 1e-3));
    runs.push({ v, go, err, ms: [] });
  }
  await timeInterleaved(runs, R * K * C > 1e8);
  console.log(`${R}×${K}×${C}  (worker CPU ms, min; GFLOP/s of worker CPU)`);
  for (const r of runs) {
    const ms = Math.min(...r.ms);
    console.log(`  ${r.v.name.padEnd(6)} ${ms.toFixed(1).padStart(8)} ms  ${(2 * R * K * C / ms / 1e6).toFixed(2).padStart(6)}  max rel err vs float64 ${r.err.toExponential(1)}`);
  }
}

const shapes = JSON.parse(process.argv[2] ?? '[[256,784,256],[128,784,64],[1024,1024,1024]]');
for (const s of shapes) await product(s);
device.destroy();
process.exit(0);
