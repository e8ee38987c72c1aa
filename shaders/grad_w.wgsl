// grad_w.wgsl — ∂L/∂W_l = scale · δ_l·A_{l−1}ᵀ.                   CPU twin: gradW() in src/cpu/kernels.ts
//
// delta (M × N), A_prev (K × N), dW (M × K); scale = 1/N (mean) or 1 (sum).
// dW[i][j] = scale · Σ_c delta[i][c]·A_prev[j][c], c ascending.
// Entry points as in forward.wgsl: main_blocked (4×4 per invocation, registers only) and main_tiled
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
  let i0 = ((g / dims.groups_x) * WG_Y + lid.y) * 4u;
  if (i0 >= M || j0 >= K) {
    return;
  }
  // Row starts of the 4 rows of delta and the 4 rows of A_prev (clamped at the edges).
  let d0 = i0 * N;
  let d1 = min(i0 + 1u, M - 1u) * N;
  let d2 = min(i0 + 2u, M - 1u) * N;
  let d3 = min(i0 + 3u, M - 1u) * N;
  let p0 = j0 * N;
  let p1 = min(j0 + 1u, K - 1u) * N;
  let p2 = min(j0 + 2u, K - 1u) * N;
  let p3 = min(j0 + 3u, K - 1u) * N;
  var s00 = 0.0; var s01 = 0.0; var s02 = 0.0; var s03 = 0.0;
  var s10 = 0.0; var s11 = 0.0; var s12 = 0.0; var s13 = 0.0;
  var s20 = 0.0; var s21 = 0.0; var s22 = 0.0; var s23 = 0.0;
  var s30 = 0.0; var s31 = 0.0; var s32 = 0.0; var s33 = 0.0;
  // NOTE: c ascending, one float32 accumulator per output (the CPU sums in float64 in the same order).
  for (var c = 0u; c < N; c++) {
    let a0 = delta[d0 + c];
    let a1 = delta[d1 + c];
    let a2 = delta[d2 + c];
    let a3 = delta[d3 + c];
    let b0 = A_prev[p0 + c];
    let b1 = A_prev[p1 + c];
    let b2 = A_prev[p2 + c];
    let b3 = A_prev[p3 + c];
    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
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
