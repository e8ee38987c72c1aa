// backward.wgsl — δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f_l'(A_l).          CPU twin: backward() in src/cpu/kernels.ts
//
// W_next (M × K) is W_{l+1}; delta_next (M × N) is δ_{l+1}; A and delta (K × N) are layer l's.
// delta[j][c] = (Σ_i W_next[i][j]·delta_next[i][c], i ascending) · f'(A[j][c]).
// Entry points as in forward.wgsl: main_blocked (4×4 per invocation, registers only) and main_tiled
// (64×64 tiles in workgroup memory). Any M, K, N; dispatches folded into 2-D past 65535 workgroups.

// Activation of layer l: 0 identity, 1 sigmoid, 2 relu, 3 tanh (softmax is never a hidden activation).
override ACT: u32 = 0u;
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
@group(0) @binding(1) var<storage, read> W_next: array<f32>;
@group(0) @binding(2) var<storage, read> delta_next: array<f32>;
@group(0) @binding(3) var<storage, read> A: array<f32>;
@group(0) @binding(4) var<storage, read_write> delta: array<f32>;

// NOTE: f' from a = f(z), as the lectures (and kernels.ts) write it: σ' = a(1 − a), tanh' = 1 − a²,
// relu' = 1 if a > 0 else 0 (relu'(0) = 0), identity' = 1.
fn activate_prime(a: f32) -> f32 {
  if (ACT == 1u) {
    return a * (1.0 - a);
  }
  if (ACT == 2u) {
    return select(0.0, 1.0, a > 0.0);
  }
  if (ACT == 3u) {
    return 1.0 - a * a;
  }
  return 1.0;
}

fn store(j: u32, c: u32, sum: f32) {
  let k = j * dims.N + c;
  delta[k] = sum * activate_prime(A[k]);
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
  let c0 = ((g % dims.groups_x) * WG_X + lid.x) * 4u;
  let j0 = ((g / dims.groups_x) * WG_Y + lid.y) * 4u;
  if (j0 >= K || c0 >= N) {
    return;
  }
  let j1 = min(j0 + 1u, K - 1u);
  let j2 = min(j0 + 2u, K - 1u);
  let j3 = min(j0 + 3u, K - 1u);
  let c1 = min(c0 + 1u, N - 1u);
  let c2 = min(c0 + 2u, N - 1u);
  let c3 = min(c0 + 3u, N - 1u);
  var s00 = 0.0; var s01 = 0.0; var s02 = 0.0; var s03 = 0.0;
  var s10 = 0.0; var s11 = 0.0; var s12 = 0.0; var s13 = 0.0;
  var s20 = 0.0; var s21 = 0.0; var s22 = 0.0; var s23 = 0.0;
  var s30 = 0.0; var s31 = 0.0; var s32 = 0.0; var s33 = 0.0;
  // NOTE: i ascending, one float32 accumulator per output (the CPU sums in float64 in the same order).
  for (var i = 0u; i < M; i++) {
    let wrow = i * K;
    let a0 = W_next[wrow + j0];
    let a1 = W_next[wrow + j1];
    let a2 = W_next[wrow + j2];
    let a3 = W_next[wrow + j3];
    let drow = i * N;
    let b0 = delta_next[drow + c0];
    let b1 = delta_next[drow + c1];
    let b2 = delta_next[drow + c2];
    let b3 = delta_next[drow + c3];
    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
  }
  let cOk1 = c0 + 1u < N;
  let cOk2 = c0 + 2u < N;
  let cOk3 = c0 + 3u < N;
  store(j0, c0, s00);
  if (cOk1) { store(j0, c1, s01); }
  if (cOk2) { store(j0, c2, s02); }
  if (cOk3) { store(j0, c3, s03); }
  if (j0 + 1u < K) {
    store(j1, c0, s10);
    if (cOk1) { store(j1, c1, s11); }
    if (cOk2) { store(j1, c2, s12); }
    if (cOk3) { store(j1, c3, s13); }
  }
  if (j0 + 2u < K) {
    store(j2, c0, s20);
    if (cOk1) { store(j2, c1, s21); }
    if (cOk2) { store(j2, c2, s22); }
    if (cOk3) { store(j2, c3, s23); }
  }
  if (j0 + 3u < K) {
    store(j3, c0, s30);
    if (cOk1) { store(j3, c1, s31); }
    if (cOk2) { store(j3, c2, s32); }
    if (cOk3) { store(j3, c3, s33); }
  }
}

// ---- tiled: output (K × N) in 64×64 tiles, the reduction over i in steps of 16 ----

const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> tileA: array<f32, 1024>; // 64 output rows j × 16 i: tileA[jj * TK + ii] = W_next[i][j]
var<workgroup> tileB: array<f32, 1024>; // 16 i × 64 cols: tileB[ii * TILE + cc] = delta_next[i][c]

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
  let tiles = (M + TK - 1u) / TK;
  for (var it = 0u; it < tiles; it++) {
    let i0 = it * TK;
    for (var q = 0u; q < 4u; q++) {
      let e = lidx + 256u * q;
      // tileA element e: i = i0 + e / 64, j = rowBase + e % 64 (consecutive invocations read consecutive j).
      let ai = i0 + e / TILE;
      let aj = rowBase + e % TILE;
      var va = 0.0;
      if (ai < M && aj < K) {
        va = W_next[ai * K + aj];
      }
      tileA[(e % TILE) * TK + e / TILE] = va;
      let bi = i0 + e / TILE;
      let bc = colBase + e % TILE;
      var vb = 0.0;
      if (bi < M && bc < N) {
        vb = delta_next[bi * N + bc];
      }
      tileB[e] = vb;
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
    let j = rowBase + lid.y + 16u * r;
    for (var q = 0u; q < 4u; q++) {
      let c = colBase + lid.x + 16u * q;
      if (j < K && c < N) {
        store(j, c, acc[r * 4u + q]);
      }
    }
  }
}
