// matmul_subgroups.wgsl — main_subgroup: matmul.wgsl's GEMM (same operands, layouts, epilogues and summation
// order) with the lhs operand shared between invocations through subgroup shuffles instead of workgroup memory.
//
// Why a second file: WGSL cannot enable an extension conditionally, and a module that says `enable subgroups;`
// does not compile on a device without the `subgroups` feature. So src/webgpu/kernels.ts compiles this file only
// on such a device, as ONE module: the line `enable subgroups;`, then matmul.wgsl, then this file (everything
// here — Dims, the bindings, store4, the strides, group_index — is matmul.wgsl's). Compile errors name that
// module `shaders/matmul.wgsl + shaders/matmul_subgroups.wgsl`; its line numbers count from the `enable` line.
//
// Work split: a workgroup of SG_WG invocations owns 8 rows × 4·SG_WG columns of the output; each invocation
// 8 rows × 4 columns in 8 vec4 accumulators (registers). K is walked in chunks of one subgroup: lane l loads
// lhs(r0 + i, k0 + l) for the 8 rows (one value per lane and row, read along the contiguous dimension when
// TRANS_L), then for each k of the chunk every lane takes lane k's 8 values by subgroupShuffle and its own 4 rhs
// values: no workgroup memory, no barrier. Chosen for hardware adapters that have the feature
// (src/webgpu/backend.ts); tested on SwiftShader, which exposes it (test/browser/webgpu-smoke.test.ts).
// NOTE: not measured on a real GPU (none here): 'tiled' may still be faster there; the choice is the issue's.

// Invocations per workgroup, along the columns.
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
  for (var k0 = 0u; k0 < K; k0 += sg) {
    // This lane's share of the chunk: the 8 rows at k = k0 + lane (clamped; a lane past K is never read).
    let kl = min(k0 + lane, K - 1u) * lk;
    let mine = Rows8(
      vec4<f32>(lhs[o0 + kl], lhs[o1 + kl], lhs[o2 + kl], lhs[o3 + kl]),
      vec4<f32>(lhs[o4 + kl], lhs[o5 + kl], lhs[o6 + kl], lhs[o7 + kl]),
    );
    let count = min(sg, K - k0);
    // NOTE: one accumulator per output, k ascending (chunk after chunk, lane after lane): the CPU's order.
    for (var j = 0u; j < count; j++) {
      let lo = subgroupShuffle(mine.lo, j);
      let hi = subgroupShuffle(mine.hi, j);
      let kr = (k0 + j) * rk;
      let b = vec4<f32>(rhs[kr + p0], rhs[kr + p1], rhs[kr + p2], rhs[kr + p3]);
      s0 += lo.x * b;
      s1 += lo.y * b;
      s2 += lo.z * b;
      s3 += lo.w * b;
      s4 += hi.x * b;
      s5 += hi.y * b;
      s6 += hi.z * b;
      s7 += hi.w * b;
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
