// matmul_subgroups.wgsl — matmul.wgsl's GEMM (same operands, layouts, epilogues and summation order) with the lhs
// operand shared between invocations through subgroup operations instead of workgroup memory, two entry points:
//   main_subgroup          — for real GPUs ('subgroup'): lhs shared by shuffles along K (below);
//   main_blocked_subgroup  — for SwiftShader ('blocked-subgroup'): main_blocked's register blocks, 16 × 8, the
//                            16 lhs values of each k shared by broadcasts (at the end of this file).
//
// Why a second file: WGSL cannot enable an extension conditionally, and a module that says `enable subgroups;`
// does not compile on a device without the `subgroups` feature. So src/webgpu/kernels.ts compiles this file only
// on such a device, as ONE module: the line `enable subgroups;`, then matmul.wgsl, then this file (everything
// here — Dims, the bindings, store4, the strides, group_index — is matmul.wgsl's). Compile errors in that module
// name the file and line they are in (this file's own line numbers; kernels.ts maps them back from the module's).
//
// main_subgroup's work split: a workgroup of SG_WG invocations owns 8 rows × 4·SG_WG columns of the output; each invocation
// 8 rows × 4 columns in 8 vec4 accumulators (registers). K is walked in chunks of one subgroup (SG_WG lanes at
// most, below): lane l loads lhs(r0 + i, k0 + l) for the 8 rows (one value per lane and row, read along the
// contiguous dimension when TRANS_L), then for each k of the chunk every lane takes lane k's 8 values by
// subgroupShuffle and its own 4 rhs values: no workgroup memory, no barrier. Chosen for hardware adapters that have the feature
// (src/webgpu/backend.ts); tested on SwiftShader, which exposes it (test/browser/webgpu-smoke.test.ts).
// NOTE: not measured on a real GPU (none here): 'tiled' may still be faster there; the choice is the issue's.

// Invocations per workgroup, along the columns (both entry points).
override SG_WG: u32 = 64u;

// The 8 lhs rows of this workgroup at one k (0 beyond K): two vec4s, rows 0–3 and 4–7.
struct Rows8 {
  lo: vec4<f32>,
  hi: vec4<f32>,
}

// NOTE: every invocation of a subgroup must reach subgroupShuffle (they all call it with the same chunk), so
// invocations past the right edge of the output compute on clamped columns and store nothing (store4 checks).
@compute @workgroup_size(SG_WG)
fn main_subgroup(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
  @builtin(subgroup_invocation_id) lane: u32,
  @builtin(subgroup_size) sg: u32,
) {
  // g is the same for the whole workgroup, so this return keeps the shuffles below in uniform control flow.
  let g = group_index(wid, nwg);
  if (g >= dims.total) {
    return;
  }
  let R = dims.R;
  let K = dims.K;
  let C = dims.C;
  let r0 = (g / dims.groups_x) * 8u;
  let c0 = ((g % dims.groups_x) * SG_WG + lidx) * 4u;
  // Edge rows and columns are clamped for loading (duplicates of the last one) and never stored.
  let lr = l_r();
  let o0 = min(r0, R - 1u) * lr;
  let o1 = min(r0 + 1u, R - 1u) * lr;
  let o2 = min(r0 + 2u, R - 1u) * lr;
  let o3 = min(r0 + 3u, R - 1u) * lr;
  let o4 = min(r0 + 4u, R - 1u) * lr;
  let o5 = min(r0 + 5u, R - 1u) * lr;
  let o6 = min(r0 + 6u, R - 1u) * lr;
  let o7 = min(r0 + 7u, R - 1u) * lr;
  let rc = r_c();
  let p0 = min(c0, C - 1u) * rc;
  let p1 = min(c0 + 1u, C - 1u) * rc;
  let p2 = min(c0 + 2u, C - 1u) * rc;
  let p3 = min(c0 + 3u, C - 1u) * rc;
  let lk = l_k();
  let rk = r_k();
  var s0 = vec4<f32>(0.0);
  var s1 = vec4<f32>(0.0);
  var s2 = vec4<f32>(0.0);
  var s3 = vec4<f32>(0.0);
  var s4 = vec4<f32>(0.0);
  var s5 = vec4<f32>(0.0);
  var s6 = vec4<f32>(0.0);
  var s7 = vec4<f32>(0.0);
  // NOTE: a chunk is at most SG_WG lanes, not sg: a subgroup may be wider than the workgroup (WebGPU allows subgroup
  // sizes up to 128, SG_WG is 64), and its lanes past the workgroup's invocations are inactive, with nothing to
  // shuffle (with chunks of sg, such lanes' k were summed as indeterminate values: wrong products, no error).
  // Assumes the workgroup's invocations are lanes 0 … SG_WG − 1 of the subgroup then (main_blocked_subgroup's NOTE).
  let chunk = min(sg, SG_WG);
  for (var k0 = 0u; k0 < K; k0 += chunk) {
    // This lane's share of the chunk: the 8 rows at k = k0 + lane (clamped; a lane past K is never read).
    let kl = min(k0 + lane, K - 1u) * lk;
    let mine = Rows8(
      vec4<f32>(lhs[o0 + kl], lhs[o1 + kl], lhs[o2 + kl], lhs[o3 + kl]),
      vec4<f32>(lhs[o4 + kl], lhs[o5 + kl], lhs[o6 + kl], lhs[o7 + kl]),
    );
    let count = min(chunk, K - k0);
    // NOTE: one accumulator per output, k ascending (chunk after chunk, lane after lane): the CPU's order.
    for (var j = 0u; j < count; j++) {
      let lhs_lo = subgroupShuffle(mine.lo, j);
      let lhs_hi = subgroupShuffle(mine.hi, j);
      let kr = (k0 + j) * rk;
      let rhs4 = vec4<f32>(rhs[kr + p0], rhs[kr + p1], rhs[kr + p2], rhs[kr + p3]);
      s0 += lhs_lo.x * rhs4;
      s1 += lhs_lo.y * rhs4;
      s2 += lhs_lo.z * rhs4;
      s3 += lhs_lo.w * rhs4;
      s4 += lhs_hi.x * rhs4;
      s5 += lhs_hi.y * rhs4;
      s6 += lhs_hi.z * rhs4;
      s7 += lhs_hi.w * rhs4;
    }
  }
  store4(r0 + 0u, c0, s0);
  store4(r0 + 1u, c0, s1);
  store4(r0 + 2u, c0, s2);
  store4(r0 + 3u, c0, s3);
  store4(r0 + 4u, c0, s4);
  store4(r0 + 5u, c0, s5);
  store4(r0 + 6u, c0, s6);
  store4(r0 + 7u, c0, s7);
}

// ---- blocked-subgroup: 16 rows × 8 columns per invocation, the 16 lhs values shared by subgroup broadcasts ----
//
// main_blocked's register blocking, with the lhs read once per subgroup instead of once per invocation: every
// invocation of a workgroup (SG_WG of them, 4 = one SwiftShader SIMD group) computes the same 16 rows, each its own
// 8 columns. At each k, lane l loads rows 4q + l (q = 0 … 3) of the block, and subgroupBroadcast(x_q, j) hands every
// lane the row 4q + j that lane j loaded. Per k this is 4 lhs + 8 rhs loads per invocation for 128 multiply-adds
// (main_blocked: 12 + 8 for 96). Chosen by 'auto' on SwiftShader when the device has `subgroups`
// (src/webgpu/backend.ts); matmul.ts dispatches it with SG_WG = 4.
// NOTE: assumes the workgroup's invocations are lanes 0–3 of one subgroup (broadcasting from an inactive lane
// is indeterminate). True on SwiftShader, whose subgroups are its 4-lane SIMD groups, the only adapters 'auto'
// picks this for; WebGPU guarantees subgroup sizes of 4–128 but not that a 4-invocation workgroup fills lanes
// 0–3 of a wider subgroup (real GPUs do so in practice; unverified here, no GPU). Lanes ≥ 4 load clamped rows.
// NOTE: SwiftShader's worker CPU time per product against main_blocked (bench/probes/swiftshader-blocks.mjs, min
// of 5; bench/RESULTS.md "ours-webgpu on SwiftShader: block shapes, loads, and what 2× TF.js webgl would take"):
// 1.06–1.31× less on 128×784×64, 784×128×64 ᵀ, 256×784×256,
// 256×256×784 ᵀ, 256×256×256 ᵀ and 1024³ in three layouts, 0.94× on 10×128×64 (10 rows of 16 used); 16×8 measured
// ahead of or level with 12×8, 24×4, 20×8, 16×12, 32×4 and 32×8 sharing the same way.
@compute @workgroup_size(SG_WG)
fn main_blocked_subgroup(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  // g is the same for the whole workgroup, so this return keeps the broadcasts below in uniform control flow;
  // invocations past the output's edge compute on clamped indices and store nothing (store4 checks).
  let g = group_index(wid, nwg);
  if (g >= dims.total) {
    return;
  }
  let R = dims.R;
  let K = dims.K;
  let C = dims.C;
  let r0 = (g / dims.groups_x) * 16u;
  let c0 = ((g % dims.groups_x) * SG_WG + lidx) * 8u;
  // This lane's 4 rows of the block (q = 0 … 3: row 4q + lane), clamped like every edge index.
  let lr = l_r();
  let o0 = min(r0 + 0u + lane, R - 1u) * lr;
  let o1 = min(r0 + 4u + lane, R - 1u) * lr;
  let o2 = min(r0 + 8u + lane, R - 1u) * lr;
  let o3 = min(r0 + 12u + lane, R - 1u) * lr;
  let rc = r_c();
  let p0 = min(c0 + 0u, C - 1u) * rc;
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
  var s12 = vec4<f32>(0.0);
  var s13 = vec4<f32>(0.0);
  var s14 = vec4<f32>(0.0);
  var s15 = vec4<f32>(0.0);
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
  var t12 = vec4<f32>(0.0);
  var t13 = vec4<f32>(0.0);
  var t14 = vec4<f32>(0.0);
  var t15 = vec4<f32>(0.0);
  // NOTE: one accumulator per output, k ascending: main_blocked's (and the CPU's) summation order; the probe
  // (bench/probes/swiftshader-blocks.mjs) checks each product bitwise against main_blocked's.
  for (var k = 0u; k < K; k++) {
    let kr = k * rk;
    let rhs_lo = vec4<f32>(rhs[kr + p0], rhs[kr + p1], rhs[kr + p2], rhs[kr + p3]);
    let rhs_hi = vec4<f32>(rhs[kr + p4], rhs[kr + p5], rhs[kr + p6], rhs[kr + p7]);
    let kl = k * lk;
    let x0 = lhs[kl + o0];
    let l0 = subgroupBroadcast(x0, 0u);
    s0 += l0 * rhs_lo;
    t0 += l0 * rhs_hi;
    let l1 = subgroupBroadcast(x0, 1u);
    s1 += l1 * rhs_lo;
    t1 += l1 * rhs_hi;
    let l2 = subgroupBroadcast(x0, 2u);
    s2 += l2 * rhs_lo;
    t2 += l2 * rhs_hi;
    let l3 = subgroupBroadcast(x0, 3u);
    s3 += l3 * rhs_lo;
    t3 += l3 * rhs_hi;
    let x1 = lhs[kl + o1];
    let l4 = subgroupBroadcast(x1, 0u);
    s4 += l4 * rhs_lo;
    t4 += l4 * rhs_hi;
    let l5 = subgroupBroadcast(x1, 1u);
    s5 += l5 * rhs_lo;
    t5 += l5 * rhs_hi;
    let l6 = subgroupBroadcast(x1, 2u);
    s6 += l6 * rhs_lo;
    t6 += l6 * rhs_hi;
    let l7 = subgroupBroadcast(x1, 3u);
    s7 += l7 * rhs_lo;
    t7 += l7 * rhs_hi;
    let x2 = lhs[kl + o2];
    let l8 = subgroupBroadcast(x2, 0u);
    s8 += l8 * rhs_lo;
    t8 += l8 * rhs_hi;
    let l9 = subgroupBroadcast(x2, 1u);
    s9 += l9 * rhs_lo;
    t9 += l9 * rhs_hi;
    let l10 = subgroupBroadcast(x2, 2u);
    s10 += l10 * rhs_lo;
    t10 += l10 * rhs_hi;
    let l11 = subgroupBroadcast(x2, 3u);
    s11 += l11 * rhs_lo;
    t11 += l11 * rhs_hi;
    let x3 = lhs[kl + o3];
    let l12 = subgroupBroadcast(x3, 0u);
    s12 += l12 * rhs_lo;
    t12 += l12 * rhs_hi;
    let l13 = subgroupBroadcast(x3, 1u);
    s13 += l13 * rhs_lo;
    t13 += l13 * rhs_hi;
    let l14 = subgroupBroadcast(x3, 2u);
    s14 += l14 * rhs_lo;
    t14 += l14 * rhs_hi;
    let l15 = subgroupBroadcast(x3, 3u);
    s15 += l15 * rhs_lo;
    t15 += l15 * rhs_hi;
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
  store4(r0 + 12u, c0, s12);
  store4(r0 + 12u, c0 + 4u, t12);
  store4(r0 + 13u, c0, s13);
  store4(r0 + 13u, c0 + 4u, t13);
  store4(r0 + 14u, c0, s14);
  store4(r0 + 14u, c0 + 4u, t14);
  store4(r0 + 15u, c0, s15);
  store4(r0 + 15u, c0 + 4u, t15);
}
