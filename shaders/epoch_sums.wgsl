// epoch_sums.wgsl — the epoch's loss sum and correct count.      CPU twin: epochSums() in src/cpu/kernels.ts
//
//   sums[0] += Σ_c L_c;   sums[1] += #{c : the prediction of example c is right}
// over one mini-batch's `count` examples; A (outputs × count) is A_L, Y the batch's labels. RULE (src/train/
// accuracy.ts): 1 argmax(A) = argmax(Y) (first index on ties), 2 (A ≥ 0.5) = (Y ≥ 0.5) for one output, 0 none.
// NOTE: one invocation, c ascending, float32 sums: deterministic (no atomics), and the CPU twin adds in the same
// order with a float32 rounding per addition. Cheap next to the step it follows (count × outputs reads).

override RULE: u32 = 0u;

struct Dims {
  outputs: u32,
  count: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> loss_per_example: array<f32>;
@group(0) @binding(2) var<storage, read> A: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read_write> sums: array<f32>;

@compute @workgroup_size(1)
fn main() {
  let count = dims.count;
  var loss = sums[0];
  var correct = sums[1];
  for (var c = 0u; c < count; c++) {
    loss += loss_per_example[c];
    if (RULE == 1u) {
      var ia = 0u;
      var iy = 0u;
      for (var i = 1u; i < dims.outputs; i++) {
        if (A[i * count + c] > A[ia * count + c]) { ia = i; }
        if (Y[i * count + c] > Y[iy * count + c]) { iy = i; }
      }
      if (ia == iy) { correct += 1.0; }
    } else if (RULE == 2u) {
      if ((A[c] >= 0.5) == (Y[c] >= 0.5)) { correct += 1.0; }
    }
  }
  sums[0] = loss;
  sums[1] = correct;
}
