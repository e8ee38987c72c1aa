// train_small.wgsl — `steps` whole SGD steps of a small net in ONE dispatch.
//                                                    CPU twin: step() in src/cpu/backend.ts, step by step
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
//                 matrices, no workgroup memory (the last part of this file; 'auto' picks it for such nets).
// Only one workgroup is ever dispatched: barriers cannot synchronise workgroups.
// (main_tiny makes this file ~740 lines: it shares Desc, the bindings and the activations with the other entry
// points, and WGSL has no include — a file of its own would repeat them.)

// Invocations in main_group's workgroup.
override WG: u32 = 64u;
// Floats of workgroup memory: the net's need rounded up to a power of two (src/webgpu/fused.ts fusedCap).
override CAP: u32 = 4096u;

const MAX_LAYERS: u32 = 4u;
const TANH_CLAMP: f32 = 15.0;

struct Layer {
  units: u32,
  fan_in: u32,
  // Activation: 0 identity, 1 sigmoid, 2 relu, 3 tanh, 4 softmax (output layer only).
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
  if (act == 3u) {
    // NOTE: clamp z to ±15 first: SwiftShader's tanh(±100) is NaN; tanh(15) is 1 in float32 anyway.
    return tanh(clamp(z, -TANH_CLAMP, TANH_CLAMP));
  }
  return z;
}

// NOTE: f' from a = f(z), as the lectures (and kernels.ts) write it: σ' = a(1 − a), tanh' = 1 − a²,
// relu' = 1 if a > 0 else 0 (relu'(0) = 0), identity' = 1.
fn activate_prime(act: u32, a: f32) -> f32 {
  if (act == 1u) {
    return a * (1.0 - a);
  }
  if (act == 2u) {
    return select(0.0, 1.0, a > 0.0);
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

// ---------------------------------------------------------------------------------------------------------------
// main_tiny — the same steps for a net whose inputs, every layer's units and the batch are all ≤ 4 (the lectures'
// 2-2-1 net and its like), in ONE invocation with the whole net in registers: every matrix is a mat4x4f
// (zero-padded), so a step is the layer equations in WGSL's own matrix arithmetic, with no array and no loop
// that the compiler must keep in memory.
//   Z_l = W_l·A_{l−1} + b_l,  A_l = f(Z_l)                 (A_0 = X; a column per example)
//   δ_L from the loss,  δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f'(A_l)
//   dW_l = scale·δ_l·A_{l−1}ᵀ,  db_l = scale·δ_l·1 (per-unit) or scale·Σ_i (δ_l·1)_i (shared)
// Why: on SwiftShader workgroup memory, barriers and dynamically indexed arrays each cost about a memory round
// trip per access. The 2-2-1 step at batch 4, Dawn + SwiftShader, 20 000 steps a dispatch, variants interleaved
// in one process, median µs/step (load 5–6 on 2 cores): main_group (4) 17.7; private arrays walked by loops 5–7;
// this entry point with an array of matrices 6.7, with the named matrices below 5.5; a hand-written 2-2-1 step
// 1.8. The one-exp sigmoid (above) then made main_tiny ~1.8× faster again (10.1 vs 18.0, load 9.5; main_group
// 36.0). In `npm run bench -- --configs a`: 2.67 and 1.31 µs/step
// (two runs, load 5–10; README). The desc is the same block, read once.
// The activation codes, the loss and the depth are override constants so that dead branches compile away:
// one pipeline per (depth, activations, loss).
//
// NOTE: padding. Rows (units) ≥ units_l of A_l and δ_l are forced to 0 by a unit mask, and columns (examples)
// ≥ n of δ_L by an example mask, so padded entries of dW are 0·x = 0 and padded W entries stay exactly 0.
// Sums then run over all 4 terms, the padded ones adding +0: the same values as the CPU's shorter sums (in the
// same ascending order, if the compiler sums mat·vec column by column — SwiftShader does), except that an
// exact −0 may come out +0. So main_tiny agrees with the CPU within the parity tolerances but is not promised
// to be bitwise equal to main_single / main_group (matrix products may be contracted into FMAs on GPUs).

// Depth (1–4), each layer's activation code, and the loss code of the net main_tiny runs.
override TINY_LAYERS: u32 = 1u;
override TINY_ACT1: u32 = 0u;
override TINY_ACT2: u32 = 0u;
override TINY_ACT3: u32 = 0u;
override TINY_ACT4: u32 = 0u;
override TINY_LOSS: u32 = 0u;
// The output layer's activation.
override TINY_ACT_OUT: u32 = select(select(select(TINY_ACT1, TINY_ACT2, TINY_LAYERS == 2u), TINY_ACT3, TINY_LAYERS == 3u), TINY_ACT4, TINY_LAYERS == 4u);

// 1 in the first k entries, 0 after.
fn first(k: u32) -> vec4f {
  return select(vec4f(0.0), vec4f(1.0), vec4u(0u, 1u, 2u, 3u) < vec4u(k));
}

// ((v.x + v.y) + v.z) + v.w: the CPU's ascending sum.
fn sum4(v: vec4f) -> f32 {
  return ((v.x + v.y) + v.z) + v.w;
}

fn act4(act: u32, z: vec4f) -> vec4f {
  return vec4f(activate(act, z.x), activate(act, z.y), activate(act, z.z), activate(act, z.w));
}

fn prime4(act: u32, a: vec4f) -> vec4f {
  return vec4f(activate_prime(act, a.x), activate_prime(act, a.y), activate_prime(act, a.z), activate_prime(act, a.w));
}

// A = f(Z) column by column, rows ≥ units zeroed (softmax is applied by the output phase instead).
fn act_m(act: u32, Z: mat4x4f, units: vec4f) -> mat4x4f {
  if (act == 4u) {
    return Z;
  }
  return mat4x4f(act4(act, Z[0]) * units, act4(act, Z[1]) * units, act4(act, Z[2]) * units, act4(act, Z[3]) * units);
}

// delta_l = (W_{l+1}ᵀ·delta_{l+1}) ⊙ f'(A_l); padded rows of A are 0 and padded columns of W are 0, so padded
// delta stays 0.
fn back_m(act: u32, W_next: mat4x4f, delta_next: mat4x4f, A: mat4x4f) -> mat4x4f {
  let s = transpose(W_next) * delta_next;
  return mat4x4f(s[0] * prime4(act, A[0]), s[1] * prime4(act, A[1]), s[2] * prime4(act, A[2]), s[3] * prime4(act, A[3]));
}

// Float32's lowest value: what a padded row counts as in a column max.
const F32_LOWEST: f32 = -0x1.fffffep+127f;

// The max of z over the first `units` rows.
fn max_real4(z: vec4f, units: vec4f) -> f32 {
  let masked = select(vec4f(F32_LOWEST), z, units > vec4f(0.5));
  return max(max(masked.x, masked.y), max(masked.z, masked.w));
}

// e^(z − max) in the first `units` rows (max_real4), 0 in the padded rows.
// NOTE: a padded row's z is 0, not −∞: e^(0 − max) overflows once every real logit is below −88.7, and ∞·0 is NaN
// (A_L, δ_L, dW and db were NaN at logits −100, −90, −95, the loss 94.1 for 5.0). So the padded rows are left out
// of the max (as float32's lowest: −3e38 there overtook real logits below it) and selected away after the exp, not
// multiplied by 0.
fn exp_shifted4(z: vec4f, units: vec4f) -> vec4f {
  return select(vec4f(0.0), exp(z - max_real4(z, units)), units > vec4f(0.5));
}

// Per example: softmax over the first `units` rows with the column max subtracted (as output()).
fn softmax4(z: vec4f, units: vec4f) -> vec4f {
  let e = exp_shifted4(z, units);
  return e / sum4(e);
}

// One example's δ_L column (as output()): mse (a − y)·f'(a); bce and softmax-cross-entropy a − y.
fn out_delta4(a: vec4f, y: vec4f) -> vec4f {
  if (TINY_LOSS == 0u) {
    return (a - y) * prime4(TINY_ACT_OUT, a);
  }
  return a - y;
}

// One example's loss L_c (as output()), rows ≥ units contributing 0.
fn out_loss4(z: vec4f, a: vec4f, y: vec4f, units: vec4f) -> f32 {
  if (TINY_LOSS == 0u) {
    return sum4((0.5 * (a - y)) * (a - y));
  }
  if (TINY_LOSS == 1u) {
    // NOTE: BCE from the logit, as output(); never log(0).
    return sum4((max(z, vec4f(0.0)) - z * y + log(1.0 + exp(-abs(z)))) * units);
  }
  // NOTE: log-sum-exp over the real rows: sum ≥ 1, so log(sum) is finite.
  let lse = max_real4(z, units) + log(sum4(exp_shifted4(z, units)));
  // NOTE: a label of 0 adds nothing, also where lse − z overflows float32 (logits of ±2e38): 0·∞ is NaN.
  return sum4(select(vec4f(0.0), y * (lse - z), y != vec4f(0.0)) * units);
}

// rows × cols floats of acts at `at` (row-major, rows·n + c) as a zero-padded matrix, a column per example.
fn load_m(at: u32, rows: u32, cols: u32) -> mat4x4f {
  var m = mat4x4f();
  for (var c = 0u; c < cols; c++) {
    for (var r = 0u; r < rows; r++) {
      m[c][r] = acts[at + r * cols + c];
    }
  }
  return m;
}

fn store_m(at: u32, m: mat4x4f, rows: u32, cols: u32) {
  for (var c = 0u; c < cols; c++) {
    for (var r = 0u; r < rows; r++) {
      acts[at + r * cols + c] = m[c][r];
    }
  }
}

// W_l from params (row-major units × fan_in) as a matrix with W[j][i] = W_l[i][j] (column j = fan-in j).
fn load_w(ly: Layer) -> mat4x4f {
  var m = mat4x4f();
  for (var i = 0u; i < ly.units; i++) {
    for (var j = 0u; j < ly.fan_in; j++) {
      m[j][i] = params[ly.pw + i * ly.fan_in + j];
    }
  }
  return m;
}

// b_l as a column: per-unit b_i, shared b in every row, none 0.
fn load_b(ly: Layer) -> vec4f {
  if (ly.bias == 1u) {
    var b = vec4f(0.0);
    for (var i = 0u; i < ly.units; i++) {
      b[i] = params[ly.pb + i];
    }
    return b;
  }
  if (ly.bias == 2u) {
    return vec4f(params[ly.pb]);
  }
  return vec4f(0.0);
}

fn store_wb(ly: Layer, W: mat4x4f, b: vec4f, to_params: bool) {
  for (var i = 0u; i < ly.units; i++) {
    for (var j = 0u; j < ly.fan_in; j++) {
      if (to_params) {
        params[ly.pw + i * ly.fan_in + j] = W[j][i];
      } else {
        grads[ly.pw + i * ly.fan_in + j] = W[j][i];
      }
    }
  }
  for (var i = 0u; i < bias_len(ly); i++) {
    if (to_params) {
      params[ly.pb + i] = b[i];
    } else {
      grads[ly.pb + i] = b[i];
    }
  }
}

// dW_l = scale·δ_l·A_{l−1}ᵀ (column j: Σ_c δ[:, c]·A_prev[j][c], c ascending).
fn grad_w(scale: f32, delta: mat4x4f, A_prev: mat4x4f) -> mat4x4f {
  return (delta * transpose(A_prev)) * scale;
}

// db_l: per-unit scale·(row sums of δ); shared scale·Σ_i row sums (i ascending), in every row; none 0.
fn grad_b(bias: u32, scale: f32, delta: mat4x4f) -> vec4f {
  let rows = delta * vec4f(1.0);
  if (bias == 1u) {
    return scale * rows;
  }
  if (bias == 2u) {
    return vec4f(scale * sum4(rows));
  }
  return vec4f(0.0);
}

// The per-example losses and the loss (scale·Σ_c L_c, c ascending) of the last step.
fn store_losses(Z: mat4x4f, A: mat4x4f, Y: mat4x4f, units: vec4f, n: u32, scale: f32) {
  var total = 0.0;
  for (var c = 0u; c < n; c++) {
    let Lc = out_loss4(Z[c], A[c], Y[c], units);
    acts[desc.loss_per_example + c] = Lc;
    total += Lc;
  }
  acts[desc.loss_at] = scale * total;
}

// One layer's Z, A, δ, dW, db of the last step, and (when updating) its W, b.
fn store_layer(ly: Layer, Z: mat4x4f, A: mat4x4f, delta: mat4x4f, A_prev: mat4x4f, W: mat4x4f, b: vec4f, n: u32, scale: f32, update: bool) {
  store_m(ly.z, Z, ly.units, n);
  store_m(ly.a, A, ly.units, n);
  store_m(ly.delta, delta, ly.units, n);
  store_wb(ly, grad_w(scale, delta, A_prev), grad_b(ly.bias, scale, delta), false);
  if (update) {
    store_wb(ly, W, b, true);
  }
}

@compute @workgroup_size(1)
fn main_tiny() {
  let n = desc.n;
  let steps = desc.steps;
  let lr = desc.lr;
  let scale = desc.scale;
  let update = desc.update == 1u;
  let ly1 = desc.layer[0];
  let ly2 = desc.layer[1];
  let ly3 = desc.layer[2];
  let ly4 = desc.layer[3];
  // Masks: the examples that exist (columns < n), and each layer's units (rows < units_l); _L: the output layer's.
  let examples = first(n);
  let units1 = first(ly1.units);
  let units2 = first(ly2.units);
  let units3 = first(ly3.units);
  let units4 = first(ly4.units);
  var out = ly1;
  var units_L = units1;
  if (TINY_LAYERS == 2u) { out = ly2; units_L = units2; }
  if (TINY_LAYERS == 3u) { out = ly3; units_L = units3; }
  if (TINY_LAYERS == 4u) { out = ly4; units_L = units4; }
  let Y = load_m(desc.y, out.units, n);
  // NOTE: named matrices, no arrays and constant indices only, so nothing forces them into memory (an array of
  // matrices indexed by constants measured 6.7 against 5.5 µs/step, interleaved: see the header of main_tiny).
  let A0 = load_m(ly1.a_prev, ly1.fan_in, n);
  var W1 = load_w(ly1);
  var b1 = load_b(ly1);
  var W2 = mat4x4f();
  var b2 = vec4f(0.0);
  var W3 = mat4x4f();
  var b3 = vec4f(0.0);
  var W4 = mat4x4f();
  var b4 = vec4f(0.0);
  if (TINY_LAYERS > 1u) { W2 = load_w(ly2); b2 = load_b(ly2); }
  if (TINY_LAYERS > 2u) { W3 = load_w(ly3); b3 = load_b(ly3); }
  if (TINY_LAYERS > 3u) { W4 = load_w(ly4); b4 = load_b(ly4); }
  // Z_l, A_l, delta_l of layer l (A_0 = X above).
  var Z1 = mat4x4f(); var Z2 = mat4x4f(); var Z3 = mat4x4f(); var Z4 = mat4x4f();
  var A1 = mat4x4f(); var A2 = mat4x4f(); var A3 = mat4x4f(); var A4 = mat4x4f();
  var delta1 = mat4x4f(); var delta2 = mat4x4f(); var delta3 = mat4x4f(); var delta4 = mat4x4f();
  for (var s = 0u; s < steps; s++) {
    // forward
    Z1 = W1 * A0 + mat4x4f(b1, b1, b1, b1);
    A1 = act_m(TINY_ACT1, Z1, units1);
    if (TINY_LAYERS > 1u) { Z2 = W2 * A1 + mat4x4f(b2, b2, b2, b2); A2 = act_m(TINY_ACT2, Z2, units2); }
    if (TINY_LAYERS > 2u) { Z3 = W3 * A2 + mat4x4f(b3, b3, b3, b3); A3 = act_m(TINY_ACT3, Z3, units3); }
    if (TINY_LAYERS > 3u) { Z4 = W4 * A3 + mat4x4f(b4, b4, b4, b4); A4 = act_m(TINY_ACT4, Z4, units4); }
    // output: softmax, then delta_L (real rows, real examples only); the ifs on TINY_LAYERS compile away
    var Z_L = Z1;
    var A_L = A1;
    if (TINY_LAYERS == 2u) { Z_L = Z2; A_L = A2; }
    if (TINY_LAYERS == 3u) { Z_L = Z3; A_L = A3; }
    if (TINY_LAYERS == 4u) { Z_L = Z4; A_L = A4; }
    if (TINY_ACT_OUT == 4u) {
      A_L = mat4x4f(softmax4(Z_L[0], units_L), softmax4(Z_L[1], units_L), softmax4(Z_L[2], units_L), softmax4(Z_L[3], units_L));
    }
    let delta_L = mat4x4f(
      out_delta4(A_L[0], Y[0]) * units_L * examples.x, out_delta4(A_L[1], Y[1]) * units_L * examples.y,
      out_delta4(A_L[2], Y[2]) * units_L * examples.z, out_delta4(A_L[3], Y[3]) * units_L * examples.w,
    );
    if (TINY_LAYERS == 1u) { A1 = A_L; delta1 = delta_L; }
    if (TINY_LAYERS == 2u) { A2 = A_L; delta2 = delta_L; }
    if (TINY_LAYERS == 3u) { A3 = A_L; delta3 = delta_L; }
    if (TINY_LAYERS == 4u) { A4 = A_L; delta4 = delta_L; }
    // backward
    if (TINY_LAYERS > 3u) { delta3 = back_m(TINY_ACT3, W4, delta4, A3); }
    if (TINY_LAYERS > 2u) { delta2 = back_m(TINY_ACT2, W3, delta3, A2); }
    if (TINY_LAYERS > 1u) { delta1 = back_m(TINY_ACT1, W2, delta2, A1); }
    // update (NOTE: as update.wgsl: lr·dW and lr·db rounded to float32, then subtracted)
    if (update) {
      W1 = W1 - grad_w(scale, delta1, A0) * lr;
      b1 = b1 - grad_b(ly1.bias, scale, delta1) * lr;
      if (TINY_LAYERS > 1u) { W2 = W2 - grad_w(scale, delta2, A1) * lr; b2 = b2 - grad_b(ly2.bias, scale, delta2) * lr; }
      if (TINY_LAYERS > 2u) { W3 = W3 - grad_w(scale, delta3, A2) * lr; b3 = b3 - grad_b(ly3.bias, scale, delta3) * lr; }
      if (TINY_LAYERS > 3u) { W4 = W4 - grad_w(scale, delta4, A3) * lr; b4 = b4 - grad_b(ly4.bias, scale, delta4) * lr; }
    }
  }
  // The last step's Z, A, δ, gradients and losses (recomputed from its δ and A: the same values), then the
  // parameters, back to the storage buffers where the other entry points leave them.
  var Z_L = Z1;
  var A_L = A1;
  if (TINY_LAYERS == 2u) { Z_L = Z2; A_L = A2; }
  if (TINY_LAYERS == 3u) { Z_L = Z3; A_L = A3; }
  if (TINY_LAYERS == 4u) { Z_L = Z4; A_L = A4; }
  store_losses(Z_L, A_L, Y, units_L, n, scale);
  store_layer(ly1, Z1, A1, delta1, A0, W1, b1, n, scale, update);
  if (TINY_LAYERS > 1u) { store_layer(ly2, Z2, A2, delta2, A1, W2, b2, n, scale, update); }
  if (TINY_LAYERS > 2u) { store_layer(ly3, Z3, A3, delta3, A2, W3, b3, n, scale, update); }
  if (TINY_LAYERS > 3u) { store_layer(ly4, Z4, A4, delta4, A3, W4, b4, n, scale, update); }
}
