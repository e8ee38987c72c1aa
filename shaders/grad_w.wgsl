// grad_w.wgsl — ∂L/∂W_l = scale · δ_l·A_{l−1}ᵀ.                   CPU twin: gradW() in src/cpu/kernels.ts
//
// delta (M × N), A_prev (K × N), dW (M × K); scale = 1/N (mean) or 1 (sum).
// dW[i][j] = scale · Σ_c delta[i][c]·A_prev[j][c], c ascending.
// Entry points as in forward.wgsl: main_blocked (16×4 per invocation, registers only) and main_tiled
// (64×64 tiles in workgroup memory). Any M, K, N; dispatches folded into 2-D past 65535 workgroups.

override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

struct Dims {
  M: u32,
  K: u32,
  N: u32,
  groups_x: u32,
  total: u32,
  scale: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> delta: array<f32>;
@group(0) @binding(2) var<storage, read> A_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> dW: array<f32>;

fn store(i: u32, j: u32, sum: f32) {
  // NOTE: scale is applied once to the finished sum, as the CPU does (not to each term).
  dW[i * dims.K + j] = dims.scale * sum;
}

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
  let j0 = ((g % dims.groups_x) * WG_X + lid.x) * 4u;
  // NOTE: 16 rows × 4 columns of dW per invocation, as in forward.wgsl (why: the NOTE there).
  let i0 = ((g / dims.groups_x) * WG_Y + lid.y) * 16u;
  if (i0 >= M || j0 >= K) {
    return;
  }
  // Row starts of the 16 rows of delta and the 4 rows of A_prev (clamped at the edges).
  let d0 = i0 * N;
  let d1 = min(i0 + 1u, M - 1u) * N;
  let d2 = min(i0 + 2u, M - 1u) * N;
  let d3 = min(i0 + 3u, M - 1u) * N;
  let d4 = min(i0 + 4u, M - 1u) * N;
  let d5 = min(i0 + 5u, M - 1u) * N;
  let d6 = min(i0 + 6u, M - 1u) * N;
  let d7 = min(i0 + 7u, M - 1u) * N;
  let d8 = min(i0 + 8u, M - 1u) * N;
  let d9 = min(i0 + 9u, M - 1u) * N;
  let d10 = min(i0 + 10u, M - 1u) * N;
  let d11 = min(i0 + 11u, M - 1u) * N;
  let d12 = min(i0 + 12u, M - 1u) * N;
  let d13 = min(i0 + 13u, M - 1u) * N;
  let d14 = min(i0 + 14u, M - 1u) * N;
  let d15 = min(i0 + 15u, M - 1u) * N;
  let p0 = j0 * N;
  let p1 = min(j0 + 1u, K - 1u) * N;
  let p2 = min(j0 + 2u, K - 1u) * N;
  let p3 = min(j0 + 3u, K - 1u) * N;
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
  // NOTE: c ascending, one float32 accumulator per output (the CPU sums in float64 in the same order).
  for (var c = 0u; c < N; c++) {
    let b0 = A_prev[p0 + c];
    let b1 = A_prev[p1 + c];
    let b2 = A_prev[p2 + c];
    let b3 = A_prev[p3 + c];
    let a0 = delta[d0 + c];
    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
    let a1 = delta[d1 + c];
    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
    let a2 = delta[d2 + c];
    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
    let a3 = delta[d3 + c];
    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
    let a4 = delta[d4 + c];
    s40 += a4 * b0; s41 += a4 * b1; s42 += a4 * b2; s43 += a4 * b3;
    let a5 = delta[d5 + c];
    s50 += a5 * b0; s51 += a5 * b1; s52 += a5 * b2; s53 += a5 * b3;
    let a6 = delta[d6 + c];
    s60 += a6 * b0; s61 += a6 * b1; s62 += a6 * b2; s63 += a6 * b3;
    let a7 = delta[d7 + c];
    s70 += a7 * b0; s71 += a7 * b1; s72 += a7 * b2; s73 += a7 * b3;
    let a8 = delta[d8 + c];
    s80 += a8 * b0; s81 += a8 * b1; s82 += a8 * b2; s83 += a8 * b3;
    let a9 = delta[d9 + c];
    s90 += a9 * b0; s91 += a9 * b1; s92 += a9 * b2; s93 += a9 * b3;
    let a10 = delta[d10 + c];
    s100 += a10 * b0; s101 += a10 * b1; s102 += a10 * b2; s103 += a10 * b3;
    let a11 = delta[d11 + c];
    s110 += a11 * b0; s111 += a11 * b1; s112 += a11 * b2; s113 += a11 * b3;
    let a12 = delta[d12 + c];
    s120 += a12 * b0; s121 += a12 * b1; s122 += a12 * b2; s123 += a12 * b3;
    let a13 = delta[d13 + c];
    s130 += a13 * b0; s131 += a13 * b1; s132 += a13 * b2; s133 += a13 * b3;
    let a14 = delta[d14 + c];
    s140 += a14 * b0; s141 += a14 * b1; s142 += a14 * b2; s143 += a14 * b3;
    let a15 = delta[d15 + c];
    s150 += a15 * b0; s151 += a15 * b1; s152 += a15 * b2; s153 += a15 * b3;
  }
  let jOk1 = j0 + 1u < K;
  let jOk2 = j0 + 2u < K;
  let jOk3 = j0 + 3u < K;
  store(i0, j0, s00);
  if (jOk1) { store(i0, j0 + 1u, s01); }
  if (jOk2) { store(i0, j0 + 2u, s02); }
  if (jOk3) { store(i0, j0 + 3u, s03); }
  if (i0 + 1u < M) {
    store(i0 + 1u, j0, s10);
    if (jOk1) { store(i0 + 1u, j0 + 1u, s11); }
    if (jOk2) { store(i0 + 1u, j0 + 2u, s12); }
    if (jOk3) { store(i0 + 1u, j0 + 3u, s13); }
  }
  if (i0 + 2u < M) {
    store(i0 + 2u, j0, s20);
    if (jOk1) { store(i0 + 2u, j0 + 1u, s21); }
    if (jOk2) { store(i0 + 2u, j0 + 2u, s22); }
    if (jOk3) { store(i0 + 2u, j0 + 3u, s23); }
  }
  if (i0 + 3u < M) {
    store(i0 + 3u, j0, s30);
    if (jOk1) { store(i0 + 3u, j0 + 1u, s31); }
    if (jOk2) { store(i0 + 3u, j0 + 2u, s32); }
    if (jOk3) { store(i0 + 3u, j0 + 3u, s33); }
  }
  if (i0 + 4u < M) {
    store(i0 + 4u, j0, s40);
    if (jOk1) { store(i0 + 4u, j0 + 1u, s41); }
    if (jOk2) { store(i0 + 4u, j0 + 2u, s42); }
    if (jOk3) { store(i0 + 4u, j0 + 3u, s43); }
  }
  if (i0 + 5u < M) {
    store(i0 + 5u, j0, s50);
    if (jOk1) { store(i0 + 5u, j0 + 1u, s51); }
    if (jOk2) { store(i0 + 5u, j0 + 2u, s52); }
    if (jOk3) { store(i0 + 5u, j0 + 3u, s53); }
  }
  if (i0 + 6u < M) {
    store(i0 + 6u, j0, s60);
    if (jOk1) { store(i0 + 6u, j0 + 1u, s61); }
    if (jOk2) { store(i0 + 6u, j0 + 2u, s62); }
    if (jOk3) { store(i0 + 6u, j0 + 3u, s63); }
  }
  if (i0 + 7u < M) {
    store(i0 + 7u, j0, s70);
    if (jOk1) { store(i0 + 7u, j0 + 1u, s71); }
    if (jOk2) { store(i0 + 7u, j0 + 2u, s72); }
    if (jOk3) { store(i0 + 7u, j0 + 3u, s73); }
  }
  if (i0 + 8u < M) {
    store(i0 + 8u, j0, s80);
    if (jOk1) { store(i0 + 8u, j0 + 1u, s81); }
    if (jOk2) { store(i0 + 8u, j0 + 2u, s82); }
    if (jOk3) { store(i0 + 8u, j0 + 3u, s83); }
  }
  if (i0 + 9u < M) {
    store(i0 + 9u, j0, s90);
    if (jOk1) { store(i0 + 9u, j0 + 1u, s91); }
    if (jOk2) { store(i0 + 9u, j0 + 2u, s92); }
    if (jOk3) { store(i0 + 9u, j0 + 3u, s93); }
  }
  if (i0 + 10u < M) {
    store(i0 + 10u, j0, s100);
    if (jOk1) { store(i0 + 10u, j0 + 1u, s101); }
    if (jOk2) { store(i0 + 10u, j0 + 2u, s102); }
    if (jOk3) { store(i0 + 10u, j0 + 3u, s103); }
  }
  if (i0 + 11u < M) {
    store(i0 + 11u, j0, s110);
    if (jOk1) { store(i0 + 11u, j0 + 1u, s111); }
    if (jOk2) { store(i0 + 11u, j0 + 2u, s112); }
    if (jOk3) { store(i0 + 11u, j0 + 3u, s113); }
  }
  if (i0 + 12u < M) {
    store(i0 + 12u, j0, s120);
    if (jOk1) { store(i0 + 12u, j0 + 1u, s121); }
    if (jOk2) { store(i0 + 12u, j0 + 2u, s122); }
    if (jOk3) { store(i0 + 12u, j0 + 3u, s123); }
  }
  if (i0 + 13u < M) {
    store(i0 + 13u, j0, s130);
    if (jOk1) { store(i0 + 13u, j0 + 1u, s131); }
    if (jOk2) { store(i0 + 13u, j0 + 2u, s132); }
    if (jOk3) { store(i0 + 13u, j0 + 3u, s133); }
  }
  if (i0 + 14u < M) {
    store(i0 + 14u, j0, s140);
    if (jOk1) { store(i0 + 14u, j0 + 1u, s141); }
    if (jOk2) { store(i0 + 14u, j0 + 2u, s142); }
    if (jOk3) { store(i0 + 14u, j0 + 3u, s143); }
  }
  if (i0 + 15u < M) {
    store(i0 + 15u, j0, s150);
    if (jOk1) { store(i0 + 15u, j0 + 1u, s151); }
    if (jOk2) { store(i0 + 15u, j0 + 2u, s152); }
    if (jOk3) { store(i0 + 15u, j0 + 3u, s153); }
  }
}

// ---- tiled: output (M × K) in 64×64 tiles, the reduction over the examples c in steps of 16 ----

const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> tileA: array<f32, 1024>; // 64 rows i × 16 c: tileA[ii * TK + cc] = delta[i][c]
var<workgroup> tileB: array<f32, 1024>; // 16 c × 64 cols j: tileB[cc * TILE + jj] = A_prev[j][c]

@compute @workgroup_size(16, 16)
fn main_tiled(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
) {
  let g = group_index(wid, nwg);
  if (g >= dims.total) {
    return;
  }
  let M = dims.M;
  let K = dims.K;
  let N = dims.N;
  let rowBase = (g / dims.groups_x) * TILE;
  let colBase = (g % dims.groups_x) * TILE;
  var acc: array<f32, 16>;
  for (var t = 0u; t < 16u; t++) {
    acc[t] = 0.0;
  }
  let tiles = (N + TK - 1u) / TK;
  for (var ct = 0u; ct < tiles; ct++) {
    let c0 = ct * TK;
    for (var q = 0u; q < 4u; q++) {
      let e = lidx + 256u * q;
      // Both tiles are read along c (e % 16), which is contiguous in delta and in A_prev.
      let cc = e % TK;
      let rr = e / TK;
      let c = c0 + cc;
      let ai = rowBase + rr;
      var va = 0.0;
      if (ai < M && c < N) {
        va = delta[ai * N + c];
      }
      tileA[rr * TK + cc] = va;
      let bj = colBase + rr;
      var vb = 0.0;
      if (bj < K && c < N) {
        vb = A_prev[bj * N + c];
      }
      tileB[cc * TILE + rr] = vb;
    }
    workgroupBarrier();
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
      let j = colBase + lid.x + 16u * q;
      if (i < M && j < K) {
        store(i, j, acc[r * 4u + q]);
      }
    }
  }
}
