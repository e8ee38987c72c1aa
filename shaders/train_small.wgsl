// train_small.wgsl — `steps` whole SGD steps of a small net in ONE dispatch.
//                                                    CPU twin: step() in src/cpu/step.ts, step by step
//
// Why: a tiny net (the lectures' 2-2-1, batch 1–64) is dispatch-bound on the per-kernel path (~10 dispatches
// a step, 15–25 µs each on SwiftShader). Here one workgroup loops over the steps itself.
//
// One step, the same phases, formulas and per-element summation order as the CPU's step() (and as the
// per-kernel WGSL files, whose NOTEs apply here too):
//   forward  (per layer)  Z[i][c] = Σ_j W[i][j]·A_prev[j][c] (j ascending) + bias(i),  A = f(Z)
//   output                per example c: softmax (column max subtracted), L_c, δ_L[:, c]
//   backward (L−1 … 1)    δ[j][c] = (Σ_i W_next[i][j]·δ_next[i][c], i ascending) · f'(A[j][c])
//   grads                 dW[i][j] = scale·Σ_c δ[i][c]·A_prev[j][c] (c ascending)
//                         db[i] = scale·Σ_c δ[i][c]  (per-unit);  db = scale·Σ_i (Σ_c δ[i][c])  (shared:
//                         row sums, then their sum, i ascending)
//                         loss = scale·Σ_c L_c (c ascending)
//   update                p ← p − lr·dW or lr·db (when desc.update is 1), by the invocation that computed it, in the grads
//                         phase: nothing in that phase reads W or b, so it needs no barrier of its own.
// Every output element is computed by exactly one invocation with the same loop whatever the number of
// invocations, so main_single and main_group (any WG) give bitwise the same results.
//
// Memory: the whole state of the net lives in workgroup memory `mem` for the dispatch (on SwiftShader this
// measured 1.5–2× faster than working in the storage buffers; on a GPU it is on-chip). CAP, its size, is the
// net's need rounded up to a power of two: SwiftShader's compile time grows faster than linearly with it.
//   mem = [ X | Y | Z_1 A_1 δ_1 | … | Z_L A_L δ_L | losses per example (n) | loss | W_1 b_1 … W_L b_L ]
// The part before the parameters has the layout of the `acts` storage buffer, offset for offset
// (src/webgpu/fused.ts actsLayout), so one offset serves both. A dispatch
//   1. copies X, Y (acts[0 .. desc.in_end)) and every W_l, b_l (params, at the per-kernel path's offsets
//      layer.pw / layer.pb) into mem;
//   2. runs desc.steps steps in mem; the last step also writes dW_l, db_l to the grads storage buffer (the
//      earlier steps' gradients are overwritten anyway, so they are never stored);
//   3. copies Z, A, δ, the losses (acts[desc.in_end .. desc.acts_end)) and the parameters back.
// So the storage buffers end up as the per-kernel path leaves them, and a run split into several dispatches
// continues exactly where the previous dispatch stopped.
//
// Entry points (src/webgpu/backend.ts):
//   main_group  — the default: one workgroup of WG invocations, each phase's elements spread over them,
//                 workgroupBarrier() between dependent phases (WG = 4 on SwiftShader: one SIMD group, so a
//                 barrier is cheap; 64 on real GPUs);
//   main_single — one invocation, no barriers (as fast on the 2-2-1 net, ~3× slower on a 4-8-8-3 net at
//                 batch 32 on SwiftShader; kept for comparison);
//   main_tiny   — nets whose inputs, units and batch are all ≤ 4: one invocation, the net in registers as 4×4
//                 matrices held by rows, its sizes override constants, no workgroup memory: in
//                 shaders/train_tiny.wgsl ('auto' picks it for such nets where the device has no `subgroups`);
//   main_lanes  — the same nets on 4 invocations, one example each, summing over them by subgroupAdd: in
//                 shaders/train_lanes.wgsl (it needs `enable subgroups;`; 'auto' picks it where the device has
//                 `subgroups`).
// Both are compiled as one module after this file, whose declarations (Desc, Layer, the bindings, the
// activations) they use: WGSL has no include (src/webgpu/kernels.ts).
// Only one workgroup is ever dispatched: barriers cannot synchronise workgroups.

// Invocations in main_group's workgroup.
override WG: u32 = 64u;
// Floats of workgroup memory: the net's need rounded up to a power of two (src/webgpu/fused.ts fusedCap).
override CAP: u32 = 4096u;

const MAX_LAYERS: u32 = 4u;
const TANH_CLAMP: f32 = 15.0;

struct Layer {
  units: u32,
  fan_in: u32,
  // Activation: 0 identity, 1 sigmoid, 2 relu, 3 tanh, 4 softmax (output layer only), 5 leaky_relu.
  act: u32,
  // Bias mode: 0 none, 1 per-unit, 2 shared.
  bias: u32,
  // Offsets in mem of W_l and b_l.
  w: u32,
  b: u32,
  // Offsets in mem (and acts) of A_{l−1} (X for layer 1), Z_l, A_l and δ_l.
  a_prev: u32,
  z: u32,
  a: u32,
  delta: u32,
  // Offsets in the params / grads storage buffers of W_l (dW_l) and b_l (db_l).
  pw: u32,
  pb: u32,
}

struct Desc {
  layers: u32,
  n: u32,
  // Loss: 0 mse, 1 bce, 2 softmax-cross-entropy.
  loss: u32,
  steps: u32,
  lr: f32,
  // 1/n (mean) or 1 (sum).
  scale: f32,
  update: u32,
  // Offsets in mem (and acts) of Y, the per-example losses and the loss.
  y: u32,
  loss_per_example: u32,
  loss_at: u32,
  // acts[0 .. in_end) is X and Y (copied in); acts[in_end .. acts_end) is Z, A, δ and the losses (copied out).
  in_end: u32,
  acts_end: u32,
  layer: array<Layer, MAX_LAYERS>,
}

@group(0) @binding(0) var<uniform> desc: Desc;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> acts: array<f32>;

var<workgroup> mem: array<f32, CAP>;

fn bias_len(ly: Layer) -> u32 {
  if (ly.bias == 1u) {
    return ly.units;
  }
  if (ly.bias == 2u) {
    return 1u;
  }
  return 0u;
}

fn copy_in(tid: u32, nt: u32) {
  for (var k = tid; k < desc.in_end; k += nt) {
    mem[k] = acts[k];
  }
  for (var l = 0u; l < desc.layers; l++) {
    let ly = desc.layer[l];
    for (var k = tid; k < ly.units * ly.fan_in; k += nt) {
      mem[ly.w + k] = params[ly.pw + k];
    }
    for (var k = tid; k < bias_len(ly); k += nt) {
      mem[ly.b + k] = params[ly.pb + k];
    }
  }
}

fn copy_out(tid: u32, nt: u32) {
  for (var k = desc.in_end + tid; k < desc.acts_end; k += nt) {
    acts[k] = mem[k];
  }
  if (desc.update == 1u) {
    for (var l = 0u; l < desc.layers; l++) {
      let ly = desc.layer[l];
      for (var k = tid; k < ly.units * ly.fan_in; k += nt) {
        params[ly.pw + k] = mem[ly.w + k];
      }
      for (var k = tid; k < bias_len(ly); k += nt) {
        params[ly.pb + k] = mem[ly.b + k];
      }
    }
  }
}

// NOTE: stable sigmoid, by the sign like kernels.ts: 1/(1 + e^−z) for z ≥ 0, e^z/(1 + e^z) below, neither
// overflowing. e = e^−|z| is e^−z or e^z as the branch needs: one exp, and no branch (SwiftShader runs both
// sides of a branch whose lanes may differ).
fn sigmoid(z: f32) -> f32 {
  let e = exp(-abs(z));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
}

fn activate(act: u32, z: f32) -> f32 {
  if (act == 1u) {
    return sigmoid(z);
  }
  if (act == 2u) {
    // NOTE: select, not max(z, 0): the CPU's `z > 0 ? z : 0`.
    return select(0.0, z, z > 0.0);
  }
  if (act == 5u) {
    // leaky_relu: z for z > 0, else 0.01·z (LEAKY_SLOPE, src/spec.ts).
    return select(0.01 * z, z, z > 0.0);
  }
  if (act == 3u) {
    // NOTE: clamp z to ±15 first: SwiftShader's tanh(±100) is NaN; tanh(15) is 1 in float32 anyway.
    return tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP));
  }
  return z;
}

// NOTE: f' from a = f(z), as the lectures (and kernels.ts) write it: σ' = a(1 − a), tanh' = 1 − a²,
// relu' = 1 if a > 0 else 0 (relu'(0) = 0), leaky_relu' = 1 if a > 0 else 0.01 (LEAKY_SLOPE, src/spec.ts: WGSL
// cannot import it; change both together), identity' = 1.
fn activate_prime(act: u32, a: f32) -> f32 {
  if (act == 1u) {
    return a * (1.0 - a);
  }
  if (act == 2u) {
    return select(0.0, 1.0, a > 0.0);
  }
  if (act == 5u) {
    return select(0.01, 1.0, a > 0.0);
  }
  if (act == 3u) {
    return 1.0 - a * a;
  }
  return 1.0;
}

// Z_l = W_l·A_{l−1} + b_l and A_l = f(Z_l) (A only for a non-softmax layer; the output phase applies softmax).
// Element e = i·n + c.
fn forward(ly: Layer, tid: u32, nt: u32) {
  let N = desc.n;
  let K = ly.fan_in;
  for (var e = tid; e < ly.units * N; e += nt) {
    let i = e / N;
    let c = e - i * N;
    let wrow = ly.w + i * K;
    let col = ly.a_prev + c;
    var s = 0.0;
    // NOTE: one accumulator, j ascending: the CPU's summation order.
    for (var j = 0u; j < K; j++) {
      s += mem[wrow + j] * mem[col + j * N];
    }
    var bias = 0.0;
    if (ly.bias == 1u) {
      bias = mem[ly.b + i];
    } else if (ly.bias == 2u) {
      bias = mem[ly.b];
    }
    let z = s + bias;
    mem[ly.z + e] = z;
    if (ly.act != 4u) {
      mem[ly.a + e] = activate(ly.act, z);
    }
  }
}

// Per example c: softmax (for softmax-cross-entropy), L_c and δ_L[:, c] — output.wgsl's body.
fn output(ly: Layer, tid: u32, nt: u32) {
  let M = ly.units;
  let N = desc.n;
  let loss = desc.loss;
  for (var c = tid; c < N; c += nt) {
    var L = 0.0;
    if (loss == 2u) {
      // NOTE: softmax with the column max subtracted first, so exp never overflows (as softmaxColumns).
      var zmax = mem[ly.z + c];
      for (var i = 1u; i < M; i++) {
        zmax = max(zmax, mem[ly.z + i * N + c]);
      }
      var sum = 0.0;
      for (var i = 0u; i < M; i++) {
        sum += exp(mem[ly.z + i * N + c] - zmax);
      }
      for (var i = 0u; i < M; i++) {
        let k = i * N + c;
        mem[ly.a + k] = exp(mem[ly.z + k] - zmax) / sum;
      }
      // NOTE: sum ≥ 1 (the max term is e^0), so log(sum) is finite: no log(0).
      let logsumexp = zmax + log(sum);
      for (var i = 0u; i < M; i++) {
        let k = i * N + c;
        // NOTE: a label of 0 adds nothing, also where logsumexp − z overflows float32 (logits of ±2e38): 0·∞ is NaN.
        let y = mem[desc.y + k];
        if (y != 0.0) {
          L += y * (logsumexp - mem[ly.z + k]);
        }
      }
    }
    for (var i = 0u; i < M; i++) {
      let k = i * N + c;
      let a = mem[ly.a + k];
      let y = mem[desc.y + k];
      let z = mem[ly.z + k];
      if (loss == 0u) {
        L += 0.5 * (a - y) * (a - y);
        mem[ly.delta + k] = (a - y) * activate_prime(ly.act, a);
      } else {
        if (loss == 1u) {
          // NOTE: BCE from the logit z: max(z, 0) − z·y + log(1 + e^−|z|). Never log(0), same formula as the CPU.
          L += max(z, 0.0) - z * y + log(1.0 + exp(-abs(z)));
        }
        mem[ly.delta + k] = a - y;
      }
    }
    mem[desc.loss_per_example + c] = L;
  }
}

// δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f'(A_l): W_next = W_{l+1} (M × K), element e = j·n + c of δ_l (K × n).
fn backward(ly: Layer, nx: Layer, tid: u32, nt: u32) {
  let N = desc.n;
  let M = nx.units;
  let K = nx.fan_in;
  for (var e = tid; e < K * N; e += nt) {
    let j = e / N;
    let c = e - j * N;
    let wcol = nx.w + j;
    let delta_col = nx.delta + c;
    var s = 0.0;
    // NOTE: i ascending, one accumulator (the CPU's order).
    for (var i = 0u; i < M; i++) {
      s += mem[wcol + i * K] * mem[delta_col + i * N];
    }
    mem[ly.delta + e] = s * activate_prime(ly.act, mem[ly.a + e]);
  }
}

// dW_l = scale·δ_l·A_{l−1}ᵀ, db_l = scale·rowsum(δ_l) (shared: their sum) and the SGD update W_l ← W_l − lr·dW_l,
// b_l ← b_l − lr·db_l for one layer. The gradients go to the grads storage buffer only when `last` (the dispatch's
// last step).
fn grads_and_update(ly: Layer, last: bool, tid: u32, nt: u32) {
  let N = desc.n;
  let scale = desc.scale;
  let lr = desc.lr;
  let update = desc.update == 1u;
  let K = ly.fan_in;
  for (var e = tid; e < ly.units * K; e += nt) {
    let i = e / K;
    let j = e - i * K;
    let delta_row = ly.delta + i * N;
    let a_prev_row = ly.a_prev + j * N;
    var s = 0.0;
    // NOTE: c ascending, one accumulator; scale applied once to the finished sum (as the CPU).
    for (var c = 0u; c < N; c++) {
      s += mem[delta_row + c] * mem[a_prev_row + c];
    }
    let dW_ij = scale * s;
    if (last) {
      grads[ly.pw + e] = dW_ij;
    }
    if (update) {
      // NOTE: as update.wgsl: lr·dW rounded to float32, then subtracted.
      mem[ly.w + e] = mem[ly.w + e] - lr * dW_ij;
    }
  }
  if (ly.bias == 1u) {
    for (var i = tid; i < ly.units; i += nt) {
      let delta_row = ly.delta + i * N;
      var s = 0.0;
      for (var c = 0u; c < N; c++) {
        s += mem[delta_row + c];
      }
      let db_i = scale * s;
      if (last) {
        grads[ly.pb + i] = db_i;
      }
      if (update) {
        mem[ly.b + i] = mem[ly.b + i] - lr * db_i;
      }
    }
  } else if (ly.bias == 2u) {
    // The last invocation takes the shared bias (invocation 0 is the busiest in the loops above).
    if (tid == nt - 1u) {
      // NOTE: row sums first (c ascending), then their sum (i ascending): the CPU's two reduceRows.
      var total = 0.0;
      for (var i = 0u; i < ly.units; i++) {
        let delta_row = ly.delta + i * N;
        var row = 0.0;
        for (var c = 0u; c < N; c++) {
          row += mem[delta_row + c];
        }
        total += row;
      }
      let db = scale * total;
      if (last) {
        grads[ly.pb] = db;
      }
      if (update) {
        mem[ly.b] = mem[ly.b] - lr * db;
      }
    }
  }
}

// The loss: scale·Σ_c L_c, c ascending (one invocation).
fn loss_sum(tid: u32, nt: u32) {
  let N = desc.n;
  if (tid == nt - 1u) {
    var s = 0.0;
    for (var c = 0u; c < N; c++) {
      s += mem[desc.loss_per_example + c];
    }
    mem[desc.loss_at] = desc.scale * s;
  }
}

// NOTE: the layers are unrolled (ly1 … ly4, read from desc once per dispatch), not looped over with
// desc.layer[l]: on SwiftShader a dynamically indexed load of a uniform struct costs ~1 µs (the whole 2-2-1
// step takes ~5 µs; looping over layers made it 8.6 µs). A layer beyond desc.layers is skipped by `if (L > k)`:
// its phase's loops run zero times.

@compute @workgroup_size(1)
fn main_single() {
  let L = desc.layers;
  let steps = desc.steps;
  let ly1 = desc.layer[0];
  let ly2 = desc.layer[1];
  let ly3 = desc.layer[2];
  let ly4 = desc.layer[3];
  var out = ly1;
  if (L == 2u) { out = ly2; }
  if (L == 3u) { out = ly3; }
  if (L == 4u) { out = ly4; }
  copy_in(0u, 1u);
  for (var s = 0u; s < steps; s++) {
    let last = s + 1u == steps;
    forward(ly1, 0u, 1u);
    if (L > 1u) { forward(ly2, 0u, 1u); }
    if (L > 2u) { forward(ly3, 0u, 1u); }
    if (L > 3u) { forward(ly4, 0u, 1u); }
    output(out, 0u, 1u);
    if (L > 3u) { backward(ly3, ly4, 0u, 1u); }
    if (L > 2u) { backward(ly2, ly3, 0u, 1u); }
    if (L > 1u) { backward(ly1, ly2, 0u, 1u); }
    grads_and_update(ly1, last, 0u, 1u);
    if (L > 1u) { grads_and_update(ly2, last, 0u, 1u); }
    if (L > 2u) { grads_and_update(ly3, last, 0u, 1u); }
    if (L > 3u) { grads_and_update(ly4, last, 0u, 1u); }
    if (last) { loss_sum(0u, 1u); }
  }
  copy_out(0u, 1u);
}

@compute @workgroup_size(WG)
fn main_group(@builtin(local_invocation_index) tid: u32) {
  // desc is uniform, so every condition below is uniform and the barriers are in uniform control flow.
  let L = desc.layers;
  let steps = desc.steps;
  let ly1 = desc.layer[0];
  let ly2 = desc.layer[1];
  let ly3 = desc.layer[2];
  let ly4 = desc.layer[3];
  var out = ly1;
  if (L == 2u) { out = ly2; }
  if (L == 3u) { out = ly3; }
  if (L == 4u) { out = ly4; }
  copy_in(tid, WG);
  workgroupBarrier();
  for (var s = 0u; s < steps; s++) {
    let last = s + 1u == steps;
    forward(ly1, tid, WG);
    workgroupBarrier();
    if (L > 1u) { forward(ly2, tid, WG); workgroupBarrier(); }
    if (L > 2u) { forward(ly3, tid, WG); workgroupBarrier(); }
    if (L > 3u) { forward(ly4, tid, WG); workgroupBarrier(); }
    output(out, tid, WG);
    workgroupBarrier();
    if (L > 3u) { backward(ly3, ly4, tid, WG); workgroupBarrier(); }
    if (L > 2u) { backward(ly2, ly3, tid, WG); workgroupBarrier(); }
    if (L > 1u) { backward(ly1, ly2, tid, WG); workgroupBarrier(); }
    // Layers are independent here; the next step's forward reads the updated parameters and overwrites Z and
    // A, read here: one barrier after all of them.
    grads_and_update(ly1, last, tid, WG);
    if (L > 1u) { grads_and_update(ly2, last, tid, WG); }
    if (L > 2u) { grads_and_update(ly3, last, tid, WG); }
    if (L > 3u) { grads_and_update(ly4, last, tid, WG); }
    if (last) { loss_sum(tid, WG); }
    workgroupBarrier();
  }
  copy_out(tid, WG);
}
