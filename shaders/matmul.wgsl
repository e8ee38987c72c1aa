// matmul.wgsl — the engine's one GEMM: out = epilogue(op(lhs)·op(rhs)).     CPU twin: dots() in src/cpu/kernels.ts
//
// The output is R × C (row-major), the reduction runs over K, k ascending, one float32 accumulator per output:
//   sum[r][c] = Σ_k lhs(r, k)·rhs(k, c)
// lhs(r, k) is lhs[r·K + k] (R × K), or lhs[k·R + r] when TRANS_L (stored K × R);
// rhs(k, c) is rhs[k·C + c] (K × C), or rhs[c·K + k] when TRANS_R (stored C × K).
// The three matmul-shaped steps of backprop are this kernel with three sets of override constants
// (src/webgpu/net.ts builds them through src/webgpu/matmul.ts planMatmul, which turns the step into EPILOGUE and
// the layouts into TRANS_L / TRANS_R; the CPU's forward / backward / gradW in src/cpu/kernels.ts are the twins):
//   forward   Z = W·A_prev + b, A = f(Z)     lhs W (R×K), rhs A_prev (K×C)          EPILOGUE 0: out Z, out2 A
//   backward  δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f'(A_l)  lhs W_{l+1} (TRANS_L), rhs δ_{l+1}  EPILOGUE 1: aux A_l, out δ_l
//   grad_w    dW_l = scale · δ_l·A_{l−1}ᵀ      lhs δ_l (R×K), rhs A_{l−1} (TRANS_R)    EPILOGUE 2: out dW_l
// For a softmax layer the forward writes Z only; output.wgsl applies softmax per column before the loss.
// Bindings a variant does not use (aux, out2) are bound to a placeholder by net.ts: one layout for all.
//
// Entry points, picked per adapter when the pipeline is made (src/webgpu/backend.ts `variant`):
//   main_blocked  — each invocation computes a 12×8 block of the output in registers, no workgroup memory
//                   (fastest on CPU emulation such as SwiftShader, where barriers are expensive);
//   main_tiled    — a 16×16 workgroup computes a 64×64 tile (4×4 per invocation) from 64×16 and 16×64 tiles
//                   staged in workgroup memory, loaded along each operand's contiguous dimension (real GPUs);
//   main_tiled4   — main_tiled with its tiles loaded as vec4s: for shapes whose contiguous dimensions are
//                   multiples of 4 (src/webgpu/matmul.ts planMatmul checks; the bindings are then read through
//                   the *4 aliases below).
// main_subgroup and main_blocked_subgroup, for devices with the `subgroups` feature, are in matmul_subgroups.wgsl,
// compiled after this file as one module (they use its Dims, bindings, store4 and strides).
// Any R, K, C work: loads are clamped (blocked) or zero-filled (tiled) at the edges and stores are guarded.
// Workgroups are numbered linearly and the dispatch is folded into 2-D when it exceeds 65535 in x.

override TRANS_L: bool = false;
override TRANS_R: bool = false;
// Epilogue: 0 bias + activation (forward), 1 ⊙ f'(aux) (backward), 2 scale (grad_w).
override EPILOGUE: u32 = 0u;
// Activation (src/webgpu/kernels.ts ACT_CODE): 0 identity, 1 sigmoid, 2 relu, 3 tanh, 4 softmax (forward: Z only),
// 5 leaky_relu.
override ACT: u32 = 0u;
// Bias mode (forward): 0 none, 1 per-unit (aux has R values), 2 shared (aux has one value).
override BIAS: u32 = 0u;
// Workgroup size of main_blocked (each invocation covers 12 rows × 8 columns: ROWS_PER_INVOCATION and
// COLS_PER_INVOCATION in src/webgpu/matmul.ts must match the 12 and 8 below).
override WG_X: u32 = 8u;
override WG_Y: u32 = 8u;

struct Dims {
  R: u32,
  K: u32,
  C: u32,
  // Workgroups along the columns before folding, and the total number of workgroups.
  groups_x: u32,
  total: u32,
  // grad_w: 1/n (mean) or 1 (sum); NOTE: applied once to the finished sum, as the CPU does.
  scale: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> lhs: array<f32>;
@group(0) @binding(2) var<storage, read> rhs: array<f32>;
// forward: the bias b; backward: A_l (for f'); grad_w: unused.
@group(0) @binding(3) var<storage, read> aux: array<f32>;
// forward: Z; backward: δ_l; grad_w: dW_l.
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
// forward: A; otherwise unused.
@group(0) @binding(5) var<storage, read_write> out2: array<f32>;

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
  if (ACT == 5u) {
    // leaky_relu: z for z > 0, else 0.01·z (LEAKY_SLOPE, src/spec.ts).
    return select(0.01 * z, z, z > 0.0);
  }
  if (ACT == 3u) {
    // NOTE: clamp z to ±15 first: SwiftShader's tanh(±100) is NaN; tanh(15) is 1 in float32 anyway.
    return tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP));
  }
  return z;
}

// NOTE: f' from a = f(z), as the lectures (and kernels.ts) write it: σ' = a(1 − a), tanh' = 1 − a²,
// relu' = 1 if a > 0 else 0 (relu'(0) = 0), leaky_relu' = 1 if a > 0 else 0.01 (LEAKY_SLOPE, src/spec.ts: WGSL
// cannot import it; change both together), identity' = 1.
fn activate_prime(a: f32) -> f32 {
  if (ACT == 1u) {
    return a * (1.0 - a);
  }
  if (ACT == 2u) {
    return select(0.0, 1.0, a > 0.0);
  }
  if (ACT == 5u) {
    return select(0.01, 1.0, a > 0.0);
  }
  if (ACT == 3u) {
    return 1.0 - a * a;
  }
  return 1.0;
}

fn bias_at(r: u32) -> f32 {
  if (BIAS == 1u) {
    return aux[r];
  }
  if (BIAS == 2u) {
    return aux[0];
  }
  return 0.0;
}

// The epilogue: the finished sum of output (r, c). EPILOGUE 0 (forward): Z = sum + b, A = f(Z) (a softmax layer
// writes Z only); 1 (backward): δ_l = sum · f'(A_l), aux holding A_l; 2 (grad_w): dW_l = scale · sum.
fn store(r: u32, c: u32, sum: f32) {
  let at = r * dims.C + c;
  if (EPILOGUE == 0u) {
    let z = sum + bias_at(r);
    out[at] = z;
    if (ACT != 4u) {
      out2[at] = activate(z);
    }
  } else if (EPILOGUE == 1u) {
    out[at] = sum * activate_prime(aux[at]);
  } else {
    out[at] = dims.scale * sum;
  }
}

// Strides of the two operands: lhs(r, k) = lhs[r·l_r + k·l_k], rhs(k, c) = rhs[k·r_k + c·r_c]. This is how
// TRANS_L / TRANS_R choose a transpose: no matrix is ever transposed, the operand is only read with its strides
// swapped. WGSL's select(f, t, cond) is t when cond holds, so l_r is K (row-major R × K) or 1 when TRANS_L (the
// buffer is K × R: backward's W_{l+1}, units_{l+1} × units_l, read as its transpose). Likewise r_c is 1 or, when
// TRANS_R, K (grad_w's A_{l−1}, units_{l−1} × N, read as the N × units_{l−1} rhs).
fn l_r() -> u32 { return select(dims.K, 1u, TRANS_L); }
fn l_k() -> u32 { return select(1u, dims.R, TRANS_L); }
fn r_k() -> u32 { return select(dims.C, 1u, TRANS_R); }
fn r_c() -> u32 { return select(1u, dims.K, TRANS_R); }

// Linear workgroup index from a dispatch that may be folded into 2-D.
fn group_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.y * nwg.x + wid.x;
}

// ---- blocked: 12 rows × 8 columns per invocation, registers only ----

// Row r, columns c0 … c0 + 3 of a block: whatever of them is inside the output.
fn store4(r: u32, c0: u32, s: vec4<f32>) {
  if (r >= dims.R) {
    return;
  }
  for (var q = 0u; q < 4u; q++) {
    if (c0 + q < dims.C) {
      store(r, c0 + q, s[q]);
    }
  }
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
  let R = dims.R;
  let K = dims.K;
  let C = dims.C;
  // NOTE: 12 rows × 8 columns per invocation: on SwiftShader (the CPU runs 4 neighbouring invocations as one
  // 4-lane SIMD group) each storage load is an emulated per-lane gather, and the accumulators live in spilled
  // registers; both cost. Per k step this block does 20 loads (12 lhs, 8 rhs) for 96 multiply-adds. Earlier
  // shapes, ms/step of bench configs c / d in 8×8 workgroups: 4×4 196 / 7040, 8×4 152 / 5570, 16×4 140 / 4480,
  // 32×4 130 / 4930; then 16×4 in 4×4 workgroups: 124 / 4550. 12×8 against 16×4 (4×4 workgroups, SwiftShader's
  // worker-thread CPU time per product, min of 3–5, on the bench's shapes 256×784×256, 256×256×256 ᵀ, 1024³ in
  // all three layouts, 128×64×784, 10×256×256): 1.09–1.25× less; 16×8 1.08–1.23×, 8×16 1.05–1.21×, 16×12 and
  // 24×8 0.96–1.06× (more spills). Reading through atomicLoad (SwiftShader's load path that tests for equal or
  // consecutive lane addresses) measured 0.70–1.06×, mostly slower. The commands: bench/RESULTS.md "ours-webgpu on
  // SwiftShader: block shapes, loads, and what 2× TF.js webgl would take".
  let c0 = ((g % dims.groups_x) * WG_X + lid.x) * 8u;
  let r0 = ((g / dims.groups_x) * WG_Y + lid.y) * 12u;
  if (r0 >= R || c0 >= C) {
    return;
  }
  // Edge blocks load clamped indices (duplicates of the last row / column) and store only what is in range.
  // NOTE: named accumulators, not an array<vec4<f32>, 24> walked by loops: SwiftShader keeps the named ones in
  // registers (or plain spill slots) but spills the array (measured 3–6× slower per step on bench configs b–d).
  let lr = l_r();
  let o0 = r0 * lr;
  let o1 = min(r0 + 1u, R - 1u) * lr;
  let o2 = min(r0 + 2u, R - 1u) * lr;
  let o3 = min(r0 + 3u, R - 1u) * lr;
  let o4 = min(r0 + 4u, R - 1u) * lr;
  let o5 = min(r0 + 5u, R - 1u) * lr;
  let o6 = min(r0 + 6u, R - 1u) * lr;
  let o7 = min(r0 + 7u, R - 1u) * lr;
  let o8 = min(r0 + 8u, R - 1u) * lr;
  let o9 = min(r0 + 9u, R - 1u) * lr;
  let o10 = min(r0 + 10u, R - 1u) * lr;
  let o11 = min(r0 + 11u, R - 1u) * lr;
  let rc = r_c();
  let p0 = c0 * rc;
  let p1 = min(c0 + 1u, C - 1u) * rc;
  let p2 = min(c0 + 2u, C - 1u) * rc;
  let p3 = min(c0 + 3u, C - 1u) * rc;
  let p4 = min(c0 + 4u, C - 1u) * rc;
  let p5 = min(c0 + 5u, C - 1u) * rc;
  let p6 = min(c0 + 6u, C - 1u) * rc;
  let p7 = min(c0 + 7u, C - 1u) * rc;
  let lk = l_k();
  let rk = r_k();
  // Row i of the block: s_i holds columns c0 … c0 + 3, t_i columns c0 + 4 … c0 + 7.
  var s0 = vec4<f32>(0.0);
  var s1 = vec4<f32>(0.0);
  var s2 = vec4<f32>(0.0);
  var s3 = vec4<f32>(0.0);
  var s4 = vec4<f32>(0.0);
  var s5 = vec4<f32>(0.0);
  var s6 = vec4<f32>(0.0);
  var s7 = vec4<f32>(0.0);
  var s8 = vec4<f32>(0.0);
  var s9 = vec4<f32>(0.0);
  var s10 = vec4<f32>(0.0);
  var s11 = vec4<f32>(0.0);
  var t0 = vec4<f32>(0.0);
  var t1 = vec4<f32>(0.0);
  var t2 = vec4<f32>(0.0);
  var t3 = vec4<f32>(0.0);
  var t4 = vec4<f32>(0.0);
  var t5 = vec4<f32>(0.0);
  var t6 = vec4<f32>(0.0);
  var t7 = vec4<f32>(0.0);
  var t8 = vec4<f32>(0.0);
  var t9 = vec4<f32>(0.0);
  var t10 = vec4<f32>(0.0);
  var t11 = vec4<f32>(0.0);
  // NOTE: one accumulator per output, k ascending: the CPU's summation order (it sums in float64, this in
  // float32, so they differ by a few ulps of Σ|l·r|, ~√K).
  for (var k = 0u; k < K; k++) {
    let kr = k * rk;
    let rhs_lo = vec4<f32>(rhs[kr + p0], rhs[kr + p1], rhs[kr + p2], rhs[kr + p3]);
    let rhs_hi = vec4<f32>(rhs[kr + p4], rhs[kr + p5], rhs[kr + p6], rhs[kr + p7]);
    let kl = k * lk;
    let l0 = lhs[kl + o0];
    s0 += l0 * rhs_lo;
    t0 += l0 * rhs_hi;
    let l1 = lhs[kl + o1];
    s1 += l1 * rhs_lo;
    t1 += l1 * rhs_hi;
    let l2 = lhs[kl + o2];
    s2 += l2 * rhs_lo;
    t2 += l2 * rhs_hi;
    let l3 = lhs[kl + o3];
    s3 += l3 * rhs_lo;
    t3 += l3 * rhs_hi;
    let l4 = lhs[kl + o4];
    s4 += l4 * rhs_lo;
    t4 += l4 * rhs_hi;
    let l5 = lhs[kl + o5];
    s5 += l5 * rhs_lo;
    t5 += l5 * rhs_hi;
    let l6 = lhs[kl + o6];
    s6 += l6 * rhs_lo;
    t6 += l6 * rhs_hi;
    let l7 = lhs[kl + o7];
    s7 += l7 * rhs_lo;
    t7 += l7 * rhs_hi;
    let l8 = lhs[kl + o8];
    s8 += l8 * rhs_lo;
    t8 += l8 * rhs_hi;
    let l9 = lhs[kl + o9];
    s9 += l9 * rhs_lo;
    t9 += l9 * rhs_hi;
    let l10 = lhs[kl + o10];
    s10 += l10 * rhs_lo;
    t10 += l10 * rhs_hi;
    let l11 = lhs[kl + o11];
    s11 += l11 * rhs_lo;
    t11 += l11 * rhs_hi;
  }
  store4(r0 + 0u, c0, s0);
  store4(r0 + 0u, c0 + 4u, t0);
  store4(r0 + 1u, c0, s1);
  store4(r0 + 1u, c0 + 4u, t1);
  store4(r0 + 2u, c0, s2);
  store4(r0 + 2u, c0 + 4u, t2);
  store4(r0 + 3u, c0, s3);
  store4(r0 + 3u, c0 + 4u, t3);
  store4(r0 + 4u, c0, s4);
  store4(r0 + 4u, c0 + 4u, t4);
  store4(r0 + 5u, c0, s5);
  store4(r0 + 5u, c0 + 4u, t5);
  store4(r0 + 6u, c0, s6);
  store4(r0 + 6u, c0 + 4u, t6);
  store4(r0 + 7u, c0, s7);
  store4(r0 + 7u, c0 + 4u, t7);
  store4(r0 + 8u, c0, s8);
  store4(r0 + 8u, c0 + 4u, t8);
  store4(r0 + 9u, c0, s9);
  store4(r0 + 9u, c0 + 4u, t9);
  store4(r0 + 10u, c0, s10);
  store4(r0 + 10u, c0 + 4u, t10);
  store4(r0 + 11u, c0, s11);
  store4(r0 + 11u, c0 + 4u, t11);
}

// ---- tiled: 16×16 invocations, 64×64 output tile, K in steps of 16 through workgroup memory ----

const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> tileL: array<f32, 1024>; // 64 rows × 16 k: tileL[r * TK + k]
var<workgroup> tileR: array<f32, 1024>; // 16 k × 64 cols: tileR[k * TILE + c]

// The 4×4 outputs of invocation (x, y) from one pair of staged tiles: rows y + 16·i, columns x + 16·q.
fn tile_product(lid: vec3<u32>, acc: ptr<function, array<vec4<f32>, 4>>) {
  for (var k = 0u; k < TK; k++) {
    let rhs4 = vec4<f32>(
      tileR[k * TILE + lid.x], tileR[k * TILE + lid.x + 16u], tileR[k * TILE + lid.x + 32u], tileR[k * TILE + lid.x + 48u],
    );
    for (var i = 0u; i < 4u; i++) {
      (*acc)[i] += tileL[(lid.y + 16u * i) * TK + k] * rhs4;
    }
  }
}

fn store_tile(lid: vec3<u32>, rowBase: u32, colBase: u32, acc: ptr<function, array<vec4<f32>, 4>>) {
  for (var i = 0u; i < 4u; i++) {
    let r = rowBase + lid.y + 16u * i;
    for (var q = 0u; q < 4u; q++) {
      let c = colBase + lid.x + 16u * q;
      if (r < dims.R && c < dims.C) {
        store(r, c, (*acc)[i][q]);
      }
    }
  }
}

// The tile of the output a workgroup owns: its first row and column; `inside` is false when the workgroup is
// past the end (it then has no tile).
struct TileOrigin {
  inside: bool,
  row: u32,
  col: u32,
}

fn tile_origin(wid: vec3<u32>, nwg: vec3<u32>) -> TileOrigin {
  let g = group_index(wid, nwg);
  return TileOrigin(g < dims.total, (g / dims.groups_x) * TILE, (g % dims.groups_x) * TILE);
}

// Stage the 64×16 lhs tile and the 16×64 rhs tile at k0, four elements per invocation. Each tile is loaded
// along its operand's contiguous dimension: neighbouring invocations, neighbouring addresses.
fn load_tiles(lidx: u32, rowBase: u32, colBase: u32, k0: u32) {
  for (var q = 0u; q < 4u; q++) {
    let e = lidx + 256u * q;
    var lr = e / TK;
    var lk = e % TK;
    if (TRANS_L) {
      lr = e % TILE;
      lk = e / TILE;
    }
    var vl = 0.0;
    if (rowBase + lr < dims.R && k0 + lk < dims.K) {
      vl = lhs[(rowBase + lr) * l_r() + (k0 + lk) * l_k()];
    }
    tileL[lr * TK + lk] = vl;
    var rk = e / TILE;
    var rc = e % TILE;
    if (TRANS_R) {
      rk = e % TK;
      rc = e / TK;
    }
    var vr = 0.0;
    if (k0 + rk < dims.K && colBase + rc < dims.C) {
      vr = rhs[(k0 + rk) * r_k() + (colBase + rc) * r_c()];
    }
    tileR[rk * TILE + rc] = vr;
  }
}

@compute @workgroup_size(16, 16)
fn main_tiled(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
) {
  // The origin depends only on workgroup-uniform values, so this return keeps the barriers below in uniform
  // control flow.
  let o = tile_origin(wid, nwg);
  if (!o.inside) {
    return;
  }
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < dims.K; k0 += TK) {
    load_tiles(lidx, o.row, o.col, k0);
    workgroupBarrier();
    // NOTE: zero-filled tails add +0 terms: the sum is still taken in ascending k order.
    tile_product(lid, &acc);
    workgroupBarrier();
  }
  store_tile(lid, o.row, o.col, &acc);
}

// ---- tiled4: main_tiled with vec4 loads (contiguous dimensions multiples of 4) ----

// The same buffers as lhs and rhs, seen as vec4s; only main_tiled4 uses them (a binding may have one type per
// entry point).
@group(0) @binding(1) var<storage, read> lhs4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> rhs4: array<vec4<f32>>;

// load_tiles with one vec4 per invocation and tile: 4 consecutive elements of the contiguous dimension (a vec4
// never straddles the edge: that dimension is a multiple of 4, and so are k0, rowBase and colBase).
fn load_tiles4(lidx: u32, rowBase: u32, colBase: u32, k0: u32) {
  let e = 4u * lidx;
  var lr = e / TK;
  var lk = e % TK;
  if (TRANS_L) {
    lr = e % TILE;
    lk = e / TILE;
  }
  var vl = vec4<f32>(0.0);
  if (rowBase + lr < dims.R && k0 + lk < dims.K) {
    vl = lhs4[((rowBase + lr) * l_r() + (k0 + lk) * l_k()) / 4u];
  }
  var rk = e / TILE;
  var rc = e % TILE;
  if (TRANS_R) {
    rk = e % TK;
    rc = e / TK;
  }
  var vr = vec4<f32>(0.0);
  if (k0 + rk < dims.K && colBase + rc < dims.C) {
    vr = rhs4[((k0 + rk) * r_k() + (colBase + rc) * r_c()) / 4u];
  }
  for (var j = 0u; j < 4u; j++) {
    // Element j of each vec4 steps along the contiguous dimension.
    if (TRANS_L) {
      tileL[(lr + j) * TK + lk] = vl[j];
    } else {
      tileL[lr * TK + lk + j] = vl[j];
    }
    if (TRANS_R) {
      tileR[(rk + j) * TILE + rc] = vr[j];
    } else {
      tileR[rk * TILE + rc + j] = vr[j];
    }
  }
}

@compute @workgroup_size(16, 16)
fn main_tiled4(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
) {
  let o = tile_origin(wid, nwg);
  if (!o.inside) {
    return;
  }
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < dims.K; k0 += TK) {
    load_tiles4(lidx, o.row, o.col, k0);
    workgroupBarrier();
    tile_product(lid, &acc);
    workgroupBarrier();
  }
  store_tile(lid, o.row, o.col, &acc);
}
