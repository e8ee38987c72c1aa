// sgd.wgsl — p ← p − lr·g, elementwise.                            CPU twin: sgd() in src/cpu/kernels.ts
//
// One dispatch updates every W_l and b_l: params and grads share one layout (each matrix / vector at a
// 256-byte-aligned offset; the padding is zero in both, so it stays zero). 4 elements per invocation;
// workgroups folded into 2-D past 65535.

override WG: u32 = 64u;

struct Dims {
  count: u32,
  lr: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let first = ((wid.y * nwg.x + wid.x) * WG + t) * 4u;
  let lr = dims.lr;
  for (var k = first; k < min(first + 4u, dims.count); k++) {
    // NOTE: lr·g is rounded to float32 before the subtraction (the CPU rounds p − lr·g once, from float64):
    // the two may differ by one ulp of p per step.
    p[k] = p[k] - lr * g[k];
  }
}
