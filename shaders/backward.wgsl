// backward.wgsl — δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f_l'(A_l).          CPU twin: backward() in src/cpu/kernels.ts
//
// W_next (M × K) is W_{l+1}; delta_next (M × N) is δ_{l+1}; A and delta (K × N) are layer l's.
// delta[j][c] = (Σ_i W_next[i][j]·delta_next[i][c], i ascending) · f'(A[j][c]).
// Entry points as in forward.wgsl: main_blocked (16×4 per invocation, registers only) and main_tiled
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
  // NOTE: 16 output rows × 4 columns per invocation, as in forward.wgsl (why: the NOTE there).
  let j0 = ((g / dims.groups_x) * WG_Y + lid.y) * 16u;
  if (j0 >= K || c0 >= N) {
    return;
  }
  let j1 = min(j0 + 1u, K - 1u);
  let j2 = min(j0 + 2u, K - 1u);
  let j3 = min(j0 + 3u, K - 1u);
  let j4 = min(j0 + 4u, K - 1u);
  let j5 = min(j0 + 5u, K - 1u);
  let j6 = min(j0 + 6u, K - 1u);
  let j7 = min(j0 + 7u, K - 1u);
  let j8 = min(j0 + 8u, K - 1u);
  let j9 = min(j0 + 9u, K - 1u);
  let j10 = min(j0 + 10u, K - 1u);
  let j11 = min(j0 + 11u, K - 1u);
  let j12 = min(j0 + 12u, K - 1u);
  let j13 = min(j0 + 13u, K - 1u);
  let j14 = min(j0 + 14u, K - 1u);
  let j15 = min(j0 + 15u, K - 1u);
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
  // NOTE: i ascending, one float32 accumulator per output (the CPU sums in float64 in the same order).
  for (var i = 0u; i < M; i++) {
    let drow = i * N;
    let b0 = delta_next[drow + c0];
    let b1 = delta_next[drow + c1];
    let b2 = delta_next[drow + c2];
    let b3 = delta_next[drow + c3];
    let wrow = i * K;
    let a0 = W_next[wrow + j0];
    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
    let a1 = W_next[wrow + j1];
    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
    let a2 = W_next[wrow + j2];
    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
    let a3 = W_next[wrow + j3];
    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
    let a4 = W_next[wrow + j4];
    s40 += a4 * b0; s41 += a4 * b1; s42 += a4 * b2; s43 += a4 * b3;
    let a5 = W_next[wrow + j5];
    s50 += a5 * b0; s51 += a5 * b1; s52 += a5 * b2; s53 += a5 * b3;
    let a6 = W_next[wrow + j6];
    s60 += a6 * b0; s61 += a6 * b1; s62 += a6 * b2; s63 += a6 * b3;
    let a7 = W_next[wrow + j7];
    s70 += a7 * b0; s71 += a7 * b1; s72 += a7 * b2; s73 += a7 * b3;
    let a8 = W_next[wrow + j8];
    s80 += a8 * b0; s81 += a8 * b1; s82 += a8 * b2; s83 += a8 * b3;
    let a9 = W_next[wrow + j9];
    s90 += a9 * b0; s91 += a9 * b1; s92 += a9 * b2; s93 += a9 * b3;
    let a10 = W_next[wrow + j10];
    s100 += a10 * b0; s101 += a10 * b1; s102 += a10 * b2; s103 += a10 * b3;
    let a11 = W_next[wrow + j11];
    s110 += a11 * b0; s111 += a11 * b1; s112 += a11 * b2; s113 += a11 * b3;
    let a12 = W_next[wrow + j12];
    s120 += a12 * b0; s121 += a12 * b1; s122 += a12 * b2; s123 += a12 * b3;
    let a13 = W_next[wrow + j13];
    s130 += a13 * b0; s131 += a13 * b1; s132 += a13 * b2; s133 += a13 * b3;
    let a14 = W_next[wrow + j14];
    s140 += a14 * b0; s141 += a14 * b1; s142 += a14 * b2; s143 += a14 * b3;
    let a15 = W_next[wrow + j15];
    s150 += a15 * b0; s151 += a15 * b1; s152 += a15 * b2; s153 += a15 * b3;
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
  if (j0 + 4u < K) {
    store(j4, c0, s40);
    if (cOk1) { store(j4, c1, s41); }
    if (cOk2) { store(j4, c2, s42); }
    if (cOk3) { store(j4, c3, s43); }
  }
  if (j0 + 5u < K) {
    store(j5, c0, s50);
    if (cOk1) { store(j5, c1, s51); }
    if (cOk2) { store(j5, c2, s52); }
    if (cOk3) { store(j5, c3, s53); }
  }
  if (j0 + 6u < K) {
    store(j6, c0, s60);
    if (cOk1) { store(j6, c1, s61); }
    if (cOk2) { store(j6, c2, s62); }
    if (cOk3) { store(j6, c3, s63); }
  }
  if (j0 + 7u < K) {
    store(j7, c0, s70);
    if (cOk1) { store(j7, c1, s71); }
    if (cOk2) { store(j7, c2, s72); }
    if (cOk3) { store(j7, c3, s73); }
  }
  if (j0 + 8u < K) {
    store(j8, c0, s80);
    if (cOk1) { store(j8, c1, s81); }
    if (cOk2) { store(j8, c2, s82); }
    if (cOk3) { store(j8, c3, s83); }
  }
  if (j0 + 9u < K) {
    store(j9, c0, s90);
    if (cOk1) { store(j9, c1, s91); }
    if (cOk2) { store(j9, c2, s92); }
    if (cOk3) { store(j9, c3, s93); }
  }
  if (j0 + 10u < K) {
    store(j10, c0, s100);
    if (cOk1) { store(j10, c1, s101); }
    if (cOk2) { store(j10, c2, s102); }
    if (cOk3) { store(j10, c3, s103); }
  }
  if (j0 + 11u < K) {
    store(j11, c0, s110);
    if (cOk1) { store(j11, c1, s111); }
    if (cOk2) { store(j11, c2, s112); }
    if (cOk3) { store(j11, c3, s113); }
  }
  if (j0 + 12u < K) {
    store(j12, c0, s120);
    if (cOk1) { store(j12, c1, s121); }
    if (cOk2) { store(j12, c2, s122); }
    if (cOk3) { store(j12, c3, s123); }
  }
  if (j0 + 13u < K) {
    store(j13, c0, s130);
    if (cOk1) { store(j13, c1, s131); }
    if (cOk2) { store(j13, c2, s132); }
    if (cOk3) { store(j13, c3, s133); }
  }
  if (j0 + 14u < K) {
    store(j14, c0, s140);
    if (cOk1) { store(j14, c1, s141); }
    if (cOk2) { store(j14, c2, s142); }
    if (cOk3) { store(j14, c3, s143); }
  }
  if (j0 + 15u < K) {
    store(j15, c0, s150);
    if (cOk1) { store(j15, c1, s151); }
    if (cOk2) { store(j15, c2, s152); }
    if (cOk3) { store(j15, c3, s153); }
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
