// epoch_sums.wgsl — the epoch's loss sum and correct count.      CPU twin: epochSums() in src/cpu/kernels.ts
//
//   sums.loss += Σ_c L_c;   sums.correct += #{c : the prediction of example c is right}
// over one mini-batch's `count` examples; A (outputs × count) is A_L, Y the batch's labels. RULE (src/train/
// accuracy.ts): 1 argmax(A) = argmax(Y) (first index on ties), 2 (A ≥ 0.5) = (Y ≥ 0.5) for one output, 0 none.
// One invocation, c ascending: deterministic (no atomics). Cheap next to the step it follows (count × outputs reads).
// The host reads the sums once per epoch and adds the loss's three levels in float64 (src/webgpu/train.ts readSums).
//
// NOTE: the CPU twin sums in float64. A plain float32 running sum over an epoch of N examples is off by up to
// N·2⁻²⁴ of the sum (−0.6 % at 10⁶ equal losses, −8.6 % at 10⁷, measured), so the loss is summed in three levels
// (Folded below), within the batch and across the epoch's batches; and the correct count is a u32, exact, where a
// float32 count stops at 2²⁴.

override RULE: u32 = 0u;

struct Dims {
  outputs: u32,
  count: u32,
  _pad0: u32,
  _pad1: u32,
}

// A float32 sum in three levels: the terms go into levels[0]; every FOLD terms levels[0] is added into levels[1],
// every FOLD² terms levels[1] into levels[2]. Each level adds at most FOLD numbers in a row (levels[2] terms / FOLD²),
// so the rounding error is about (2·FOLD + terms / FOLD²)·2⁻²⁴ of Σ|terms| instead of terms·2⁻²⁴.
// NOTE: copied in reduce_rows.wgsl (WGSL has no include); the value is levels[0] + levels[1] + levels[2].
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

// 32 bytes, zeroed at each epoch's start (writeOrder) and after each read (readSums).
struct Sums {
  loss: Folded, // the epoch's Σ L_c, one term per batch (that batch's own folded sum)
  correct: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> loss_per_example: array<f32>;
@group(0) @binding(2) var<storage, read> A: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read_write> sums: Sums;

@compute @workgroup_size(1)
fn main() {
  let count = dims.count;
  var batch = Folded();
  var correct = 0u;
  for (var c = 0u; c < count; c++) {
    fold_add(&batch, loss_per_example[c]);
    if (RULE == 1u) {
      var ia = 0u;
      var iy = 0u;
      for (var i = 1u; i < dims.outputs; i++) {
        if (A[i * count + c] > A[ia * count + c]) { ia = i; }
        if (Y[i * count + c] > Y[iy * count + c]) { iy = i; }
      }
      if (ia == iy) { correct += 1u; }
    } else if (RULE == 2u) {
      if ((A[c] >= 0.5) == (Y[c] >= 0.5)) { correct += 1u; }
    }
  }
  var loss = sums.loss;
  fold_add(&loss, fold_value(batch));
  sums.loss = loss;
  sums.correct += correct;
}
