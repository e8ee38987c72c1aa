// reduce_rows.wgsl — out[r] = scale · Σ_c src[r·cols + c].       CPU twin: reduceRows() in src/cpu/kernels.ts
//
// Used for ∂L/∂b (row sums of δ; for a shared bias, a second pass sums the row sums) and for the loss
// (the sum of the per-example losses). One workgroup per row (rows folded into 2-D past 65535).
// NOTE: deterministic on purpose: invocation t sums c = t, t + WG, t + 2·WG, … in ascending order, then a
// fixed-shape tree in workgroup memory adds the WG partial sums. No atomics (a float atomic sum changes from
// run to run), so a result is bitwise the same every run. The order differs from the CPU's left-to-right
// float64 sum, so the two agree to a few float32 ulps of Σ|src|, not bitwise.

// Invocations per workgroup: a power of two (the host picks it from cols: fewer invocations, fewer barriers
// for short rows).
override WG: u32 = 256u;

struct Dims {
  rows: u32,
  cols: u32,
  scale: f32,
  _pad0: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  // r depends only on workgroup-uniform values: the early return keeps the barriers in uniform control flow.
  let r = wid.y * nwg.x + wid.x;
  if (r >= dims.rows) {
    return;
  }
  let cols = dims.cols;
  let base = r * cols;
  var s = 0.0;
  for (var c = t; c < cols; c += WG) {
    s += src[base + c];
  }
  partial[t] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (t < stride) {
      partial[t] += partial[t + stride];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    out[r] = dims.scale * partial[0];
  }
}
