// forward.wgsl — Z = W·A_prev + b, A = f(Z).                     CPU twin: forward() in src/cpu/kernels.ts
//
// W (M × K), A_prev (K × N), Z and A (M × N), all row-major; one column per example.
// Z[i][c] = Σ_j W[i][j]·A_prev[j][c] (j ascending, like the CPU) + bias(i), then the activation epilogue.
// For a softmax layer this kernel writes Z only; output.wgsl applies softmax per column (the CPU's
// softmaxColumns) before it computes the loss, so no extra pass is needed (softmax is only allowed on the
// output layer, which output.wgsl always follows).
//
// Two entry points, picked when the pipeline is made:
//   main_blocked — each invocation computes a 16×4 block of Z (16 rows, 4 columns) in 64 plain registers,
//                  no workgroup memory (fastest on CPU emulation such as SwiftShader, where barriers are
//                  expensive);
//   main_tiled   — a 16×16 workgroup computes a 64×64 tile of Z (4×4 per invocation) from 64×16 and
//                  16×64 tiles staged in workgroup memory (for real GPUs).
// Any M, K, N work: loads are clamped (blocked) or zero-filled (tiled) at the edges and stores are guarded.
// Workgroups are numbered linearly and the dispatch is folded into 2-D when it exceeds 65535 in x.

// Activation: 0 identity, 1 sigmoid, 2 relu, 3 tanh, 4 softmax (Z only here).
override ACT: u32 = 0u;
// Bias mode: 0 none, 1 per-unit (b has M values), 2 shared (b has one value).
override BIAS: u32 = 0u;
// Workgroup size of main_blocked (each invocation covers 16 rows × 4 columns: ROWS_PER_INVOCATION in
// src/webgpu/net.ts must match the 16 below).
override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

struct Dims {
  M: u32,
  K: u32,
  N: u32,
  // Workgroups along the columns before folding, and the total number of workgroups.
  groups_x: u32,
  total: u32,
  scale: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> A_prev: array<f32>;
@group(0) @binding(4) var<storage, read_write> Z: array<f32>;
@group(0) @binding(5) var<storage, read_write> A: array<f32>;

const TANH_CLAMP: f32 = 15.0;

// NOTE: stable sigmoid, branching on the sign like kernels.ts: neither branch overflows exp.
fn sigmoid(z: f32) -> f32 {
  if (z >= 0.0) {
    return 1.0 / (1.0 + exp(-z));
  }
  let e = exp(z);
  return e / (1.0 + e);
}

fn activate(z: f32) -> f32 {
  if (ACT == 1u) {
    return sigmoid(z);
  }
  if (ACT == 2u) {
    // NOTE: select, not max(z, 0): the CPU's `z > 0 ? z : 0`.
    return select(0.0, z, z > 0.0);
  }
  if (ACT == 3u) {
    // NOTE: clamp z to ±15 first: SwiftShader's tanh(±100) is NaN; tanh(15) is 1 in float32 anyway.
    return tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP));
  }
  return z;
}

fn bias_at(i: u32) -> f32 {
  if (BIAS == 1u) {
    return b[i];
  }
  if (BIAS == 2u) {
    return b[0];
  }
  return 0.0;
}

fn store(i: u32, c: u32, sum: f32) {
  let z = sum + bias_at(i);
  let k = i * dims.N + c;
  Z[k] = z;
  if (ACT != 4u) {
    A[k] = activate(z);
  }
}

// Linear workgroup index from a dispatch that may be folded into 2-D.
fn group_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.y * nwg.x + wid.x;
}

@compute @workgroup_size(WG_X, WG_Y)
fn main_blocked(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
) {
  let g = group_index(wid, nwg);
  if (g >= dims.total) {
    return;
  }
  let M = dims.M;
  let K = dims.K;
  let N = dims.N;
  let c0 = ((g % dims.groups_x) * WG_X + lid.x) * 4u;
  // NOTE: 16 rows × 4 columns per invocation, not 4 × 4: SwiftShader runs 4 neighbouring invocations (along x,
  // so same rows) as one SIMD group, and its loads, not its multiply-adds, are what cost. Each k step here
  // loads 16 W values and 4 A_prev values for 64 multiply-adds (4 × 4: 8 loads for 16). Measured on
  // SwiftShader, ms/step of bench configs c / d in 8×8 workgroups: 4×4 196 / 7040, 8×4 152 / 5570,
  // 16×4 140 / 4480, 32×4 130 / 4930 (register spills); 16×4 in 4×4 workgroups (net.ts): 124 / 4550.
  let r0 = ((g / dims.groups_x) * WG_Y + lid.y) * 16u;
  if (r0 >= M || c0 >= N) {
    return;
  }
  // Edge blocks load clamped indices (duplicates of the last row / column) and store only what is in range.
  let r1 = min(r0 + 1u, M - 1u);
  let r2 = min(r0 + 2u, M - 1u);
  let r3 = min(r0 + 3u, M - 1u);
  let r4 = min(r0 + 4u, M - 1u);
  let r5 = min(r0 + 5u, M - 1u);
  let r6 = min(r0 + 6u, M - 1u);
  let r7 = min(r0 + 7u, M - 1u);
  let r8 = min(r0 + 8u, M - 1u);
  let r9 = min(r0 + 9u, M - 1u);
  let r10 = min(r0 + 10u, M - 1u);
  let r11 = min(r0 + 11u, M - 1u);
  let r12 = min(r0 + 12u, M - 1u);
  let r13 = min(r0 + 13u, M - 1u);
  let r14 = min(r0 + 14u, M - 1u);
  let r15 = min(r0 + 15u, M - 1u);
  let c1 = min(c0 + 1u, N - 1u);
  let c2 = min(c0 + 2u, N - 1u);
  let c3 = min(c0 + 3u, N - 1u);
  var s00 = 0.0; var s01 = 0.0; var s02 = 0.0; var s03 = 0.0;
  var s10 = 0.0; var s11 = 0.0; var s12 = 0.0; var s13 = 0.0;
  var s20 = 0.0; var s21 = 0.0; var s22 = 0.0; var s23 = 0.0;
  var s30 = 0.0; var s31 = 0.0; var s32 = 0.0; var s33 = 0.0;
  var s40 = 0.0; var s41 = 0.0; var s42 = 0.0; var s43 = 0.0;
  var s50 = 0.0; var s51 = 0.0; var s52 = 0.0; var s53 = 0.0;
  var s60 = 0.0; var s61 = 0.0; var s62 = 0.0; var s63 = 0.0;
  var s70 = 0.0; var s71 = 0.0; var s72 = 0.0; var s73 = 0.0;
  var s80 = 0.0; var s81 = 0.0; var s82 = 0.0; var s83 = 0.0;
  var s90 = 0.0; var s91 = 0.0; var s92 = 0.0; var s93 = 0.0;
  var s100 = 0.0; var s101 = 0.0; var s102 = 0.0; var s103 = 0.0;
  var s110 = 0.0; var s111 = 0.0; var s112 = 0.0; var s113 = 0.0;
  var s120 = 0.0; var s121 = 0.0; var s122 = 0.0; var s123 = 0.0;
  var s130 = 0.0; var s131 = 0.0; var s132 = 0.0; var s133 = 0.0;
  var s140 = 0.0; var s141 = 0.0; var s142 = 0.0; var s143 = 0.0;
  var s150 = 0.0; var s151 = 0.0; var s152 = 0.0; var s153 = 0.0;
  // NOTE: one accumulator per output, j ascending: the CPU's summation order (it sums in float64, this in
  // float32, so they differ by a few ulps of Σ|w·a|, ~√K).
  for (var j = 0u; j < K; j++) {
    let row = j * N;
    let b0 = A_prev[row + c0];
    let b1 = A_prev[row + c1];
    let b2 = A_prev[row + c2];
    let b3 = A_prev[row + c3];
    let a0 = W[r0 * K + j];
    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
    let a1 = W[r1 * K + j];
    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
    let a2 = W[r2 * K + j];
    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
    let a3 = W[r3 * K + j];
    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
    let a4 = W[r4 * K + j];
    s40 += a4 * b0; s41 += a4 * b1; s42 += a4 * b2; s43 += a4 * b3;
    let a5 = W[r5 * K + j];
    s50 += a5 * b0; s51 += a5 * b1; s52 += a5 * b2; s53 += a5 * b3;
    let a6 = W[r6 * K + j];
    s60 += a6 * b0; s61 += a6 * b1; s62 += a6 * b2; s63 += a6 * b3;
    let a7 = W[r7 * K + j];
    s70 += a7 * b0; s71 += a7 * b1; s72 += a7 * b2; s73 += a7 * b3;
    let a8 = W[r8 * K + j];
    s80 += a8 * b0; s81 += a8 * b1; s82 += a8 * b2; s83 += a8 * b3;
    let a9 = W[r9 * K + j];
    s90 += a9 * b0; s91 += a9 * b1; s92 += a9 * b2; s93 += a9 * b3;
    let a10 = W[r10 * K + j];
    s100 += a10 * b0; s101 += a10 * b1; s102 += a10 * b2; s103 += a10 * b3;
    let a11 = W[r11 * K + j];
    s110 += a11 * b0; s111 += a11 * b1; s112 += a11 * b2; s113 += a11 * b3;
    let a12 = W[r12 * K + j];
    s120 += a12 * b0; s121 += a12 * b1; s122 += a12 * b2; s123 += a12 * b3;
    let a13 = W[r13 * K + j];
    s130 += a13 * b0; s131 += a13 * b1; s132 += a13 * b2; s133 += a13 * b3;
    let a14 = W[r14 * K + j];
    s140 += a14 * b0; s141 += a14 * b1; s142 += a14 * b2; s143 += a14 * b3;
    let a15 = W[r15 * K + j];
    s150 += a15 * b0; s151 += a15 * b1; s152 += a15 * b2; s153 += a15 * b3;
  }
  let cOk1 = c0 + 1u < N;
  let cOk2 = c0 + 2u < N;
  let cOk3 = c0 + 3u < N;
  store(r0, c0, s00);
  if (cOk1) { store(r0, c1, s01); }
  if (cOk2) { store(r0, c2, s02); }
  if (cOk3) { store(r0, c3, s03); }
  if (r0 + 1u < M) {
    store(r1, c0, s10);
    if (cOk1) { store(r1, c1, s11); }
    if (cOk2) { store(r1, c2, s12); }
    if (cOk3) { store(r1, c3, s13); }
  }
  if (r0 + 2u < M) {
    store(r2, c0, s20);
    if (cOk1) { store(r2, c1, s21); }
    if (cOk2) { store(r2, c2, s22); }
    if (cOk3) { store(r2, c3, s23); }
  }
  if (r0 + 3u < M) {
    store(r3, c0, s30);
    if (cOk1) { store(r3, c1, s31); }
    if (cOk2) { store(r3, c2, s32); }
    if (cOk3) { store(r3, c3, s33); }
  }
  if (r0 + 4u < M) {
    store(r4, c0, s40);
    if (cOk1) { store(r4, c1, s41); }
    if (cOk2) { store(r4, c2, s42); }
    if (cOk3) { store(r4, c3, s43); }
  }
  if (r0 + 5u < M) {
    store(r5, c0, s50);
    if (cOk1) { store(r5, c1, s51); }
    if (cOk2) { store(r5, c2, s52); }
    if (cOk3) { store(r5, c3, s53); }
  }
  if (r0 + 6u < M) {
    store(r6, c0, s60);
    if (cOk1) { store(r6, c1, s61); }
    if (cOk2) { store(r6, c2, s62); }
    if (cOk3) { store(r6, c3, s63); }
  }
  if (r0 + 7u < M) {
    store(r7, c0, s70);
    if (cOk1) { store(r7, c1, s71); }
    if (cOk2) { store(r7, c2, s72); }
    if (cOk3) { store(r7, c3, s73); }
  }
  if (r0 + 8u < M) {
    store(r8, c0, s80);
    if (cOk1) { store(r8, c1, s81); }
    if (cOk2) { store(r8, c2, s82); }
    if (cOk3) { store(r8, c3, s83); }
  }
  if (r0 + 9u < M) {
    store(r9, c0, s90);
    if (cOk1) { store(r9, c1, s91); }
    if (cOk2) { store(r9, c2, s92); }
    if (cOk3) { store(r9, c3, s93); }
  }
  if (r0 + 10u < M) {
    store(r10, c0, s100);
    if (cOk1) { store(r10, c1, s101); }
    if (cOk2) { store(r10, c2, s102); }
    if (cOk3) { store(r10, c3, s103); }
  }
  if (r0 + 11u < M) {
    store(r11, c0, s110);
    if (cOk1) { store(r11, c1, s111); }
    if (cOk2) { store(r11, c2, s112); }
    if (cOk3) { store(r11, c3, s113); }
  }
  if (r0 + 12u < M) {
    store(r12, c0, s120);
    if (cOk1) { store(r12, c1, s121); }
    if (cOk2) { store(r12, c2, s122); }
    if (cOk3) { store(r12, c3, s123); }
  }
  if (r0 + 13u < M) {
    store(r13, c0, s130);
    if (cOk1) { store(r13, c1, s131); }
    if (cOk2) { store(r13, c2, s132); }
    if (cOk3) { store(r13, c3, s133); }
  }
  if (r0 + 14u < M) {
    store(r14, c0, s140);
    if (cOk1) { store(r14, c1, s141); }
    if (cOk2) { store(r14, c2, s142); }
    if (cOk3) { store(r14, c3, s143); }
  }
  if (r0 + 15u < M) {
    store(r15, c0, s150);
    if (cOk1) { store(r15, c1, s151); }
    if (cOk2) { store(r15, c2, s152); }
    if (cOk3) { store(r15, c3, s153); }
  }
}

// ---- tiled: 16×16 invocations, 64×64 output tile, K in steps of 16 through workgroup memory ----

const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> tileA: array<f32, 1024>; // 64 rows × 16 k: tileA[r * TK + k]
var<workgroup> tileB: array<f32, 1024>; // 16 k × 64 cols: tileB[k * TILE + c]

@compute @workgroup_size(16, 16)
fn main_tiled(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
) {
  // g depends only on workgroup-uniform values, so this return keeps the barriers below in uniform control flow.
  let g = group_index(wid, nwg);
  if (g >= dims.total) {
    return;
  }
  let M = dims.M;
  let K = dims.K;
  let N = dims.N;
  let rowBase = (g / dims.groups_x) * TILE;
  let colBase = (g % dims.groups_x) * TILE;
  // Invocation (x, y) owns rows rowBase + y + 16·r and columns colBase + x + 16·q (r, q in 0..3).
  var acc: array<f32, 16>;
  for (var t = 0u; t < 16u; t++) {
    acc[t] = 0.0;
  }
  let tiles = (K + TK - 1u) / TK;
  for (var kt = 0u; kt < tiles; kt++) {
    let k0 = kt * TK;
    for (var q = 0u; q < 4u; q++) {
      let e = lidx + 256u * q;
      // tileA: row e / 16, k e % 16
      let ar = rowBase + e / TK;
      let ak = k0 + e % TK;
      var va = 0.0;
      if (ar < M && ak < K) {
        va = W[ar * K + ak];
      }
      tileA[e] = va;
      // tileB: k e / 64, col e % 64
      let bk = k0 + e / TILE;
      let bc = colBase + e % TILE;
      var vb = 0.0;
      if (bk < K && bc < N) {
        vb = A_prev[bk * N + bc];
      }
      tileB[e] = vb;
    }
    workgroupBarrier();
    // NOTE: zero-filled tails add +0 terms: the sum is still taken in ascending k order.
    for (var k = 0u; k < TK; k++) {
      var bv: array<f32, 4>;
      for (var q = 0u; q < 4u; q++) {
        bv[q] = tileB[k * TILE + lid.x + 16u * q];
      }
      for (var r = 0u; r < 4u; r++) {
        let av = tileA[(lid.y + 16u * r) * TK + k];
        for (var q = 0u; q < 4u; q++) {
          acc[r * 4u + q] += av * bv[q];
        }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let i = rowBase + lid.y + 16u * r;
    for (var q = 0u; q < 4u; q++) {
      let c = colBase + lid.x + 16u * q;
      if (i < M && c < N) {
        store(i, c, acc[r * 4u + q]);
      }
    }
  }
}
