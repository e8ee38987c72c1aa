// reduce_rows.wgsl — out[r] = scale · Σ_c src[r·cols + c].       CPU twin: reduceRows() in src/cpu/kernels.ts
//
// Used for db_l = scale·rowsum(δ_l) (for a shared bias, a second pass sums the row sums) and for the loss
// L = scale·Σ_c L_c (the per-example losses). One workgroup per row (rows folded into 2-D past 65535).
// NOTE: deterministic on purpose: invocation t sums c = t, t + WG, t + 2·WG, … in ascending order, then a
// fixed-shape tree in workgroup memory adds the WG partial sums. No atomics (a float atomic sum changes from
// run to run), so a result is bitwise the same every run. The CPU twin sums in float64; here each invocation's
// m = cols / WG terms go through Folded (three levels, below), so the two agree within about
// (2·FOLD + m / FOLD² + log2 WG)·2⁻²⁴ of Σ|src|, not bitwise. A plain running sum would be off by up to m·2⁻²⁴: on
// SwiftShader (WG = 4) 0.67 % of db over 4·10⁶ equal terms, measured before Folded.

// Invocations per workgroup: a power of two (the host picks it from cols: fewer invocations, fewer barriers
// for short rows).
override WG: u32 = 256u;

struct Dims {
  rows: u32,
  cols: u32,
  scale: f32,
  _pad0: u32,
}

// NOTE: a copy of epoch_sums.wgsl's Folded (WGSL has no include): a float32 sum in three levels, the terms into
// levels[0], levels[0] into levels[1] every FOLD terms, levels[1] into levels[2] every FOLD² terms.
const FOLD: u32 = 64u;
struct Folded {
  levels: array<f32, 3>,
  terms: u32,
}

fn fold_add(acc: ptr<function, Folded>, x: f32) {
  (*acc).levels[0] += x;
  (*acc).terms += 1u;
  if ((*acc).terms % FOLD == 0u) {
    (*acc).levels[1] += (*acc).levels[0];
    (*acc).levels[0] = 0.0;
    if ((*acc).terms % (FOLD * FOLD) == 0u) {
      (*acc).levels[2] += (*acc).levels[1];
      (*acc).levels[1] = 0.0;
    }
  }
}

fn fold_value(acc: Folded) -> f32 {
  return acc.levels[0] + acc.levels[1] + acc.levels[2];
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
  var s = Folded();
  for (var c = t; c < cols; c += WG) {
    fold_add(&s, src[base + c]);
  }
  partial[t] = fold_value(s);
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
