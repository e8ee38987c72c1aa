// sgd.wgsl — p ← p − lr·dW, elementwise (p: every W_l, b_l; dW: every dW_l, db_l). CPU twin: sgd() in src/cpu/kernels.ts
//
// One dispatch updates every W_l and b_l: params (p) and grads (dW) share one layout (each matrix / vector at a
// 256-byte-aligned offset; the padding is zero in both, so it stays zero). Read as vec4s: the params buffer is
// a whole number of 256-byte blocks, so `count` (vec4s) covers it exactly. Two vec4s per invocation, WG
// apart (neighbouring invocations read neighbouring vec4s); workgroups folded into 2-D past 65535.
// NOTE: vec4s, two per invocation, written out rather than looped: on SwiftShader (a CPU emulation, 4 invocations
// per SIMD group) the earlier loop over 4 f32s per invocation took 2.5× the worker CPU time of this for config
// b's 407 296 parameters (bench/probes/update-kernels.mjs); each component is the same float32 arithmetic, so
// results are bitwise equal (the probe checks).

override WG: u32 = 64u;

struct Dims {
  count: u32,
  lr: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dW: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let k0 = (wid.y * nwg.x + wid.x) * WG * 2u + t;
  update(k0);
  update(k0 + WG);
}

fn update(k: u32) {
  if (k < dims.count) {
    // NOTE: lr·dW is rounded to float32 before the subtraction (the CPU rounds p − lr·dW once, from float64):
    // the two may differ by one ulp of p per step.
    p[k] = p[k] - dims.lr * dW[k];
  }
}
