// gather.wgsl — a mini-batch from the resident data set.           CPU twin: gather() in src/cpu/kernels.ts
//
//   X_batch[j·count + c] = X_data[j·n + order[start + c]]   (j < rows_x)
//   Y_batch[j·count + c] = Y_data[j·n + order[start + c]]   (j < rows_y)
// Data (rows × n) and batch (rows × count) are row-major, one column per example. One invocation per output
// element, X's elements first, then Y's; workgroups folded into 2-D past 65535. The block is bound with a dynamic
// offset: one 256-byte slot per mini-batch of a submission (start differs).

override WG: u32 = 64u;

struct Dims {
  rows_x: u32,
  rows_y: u32,
  count: u32,
  n: u32,
  start: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> order: array<u32>;
@group(0) @binding(2) var<storage, read> X_data: array<f32>;
@group(0) @binding(3) var<storage, read> Y_data: array<f32>;
@group(0) @binding(4) var<storage, read_write> X_batch: array<f32>;
@group(0) @binding(5) var<storage, read_write> Y_batch: array<f32>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let k = (wid.y * nwg.x + wid.x) * WG + t;
  let count = dims.count;
  let x_elements = dims.rows_x * count;
  if (k < x_elements) {
    let j = k / count;
    let c = k % count;
    X_batch[k] = X_data[j * dims.n + order[dims.start + c]];
    return;
  }
  let ky = k - x_elements;
  if (ky < dims.rows_y * count) {
    let j = ky / count;
    let c = ky % count;
    Y_batch[ky] = Y_data[j * dims.n + order[dims.start + c]];
  }
}
