// train_tiny.wgsl — main_tiny: train_small.wgsl's steps for the lectures' nets, in ONE invocation with the whole
// net in registers.                                   CPU twin: step() in src/cpu/step.ts, step by step
//
// Why a second file: main_tiny shares train_small.wgsl's Desc, Layer, bindings and activations (WGSL has no
// include), and with it that file was ~930 lines. So src/webgpu/kernels.ts compiles this file as ONE module after
// train_small.wgsl (whose declarations it uses; one bind group layout), and train_lanes.wgsl (main_lanes) after
// both.
//
// main_tiny — the same steps for a net whose inputs, every layer's units and the batch are all ≤ 4 (the lectures'
// 2-2-1 net and its like), in ONE invocation with the whole net in registers: every matrix is a mat4x4f held by
// ROWS — column i of the mat4x4f is row i of the matrix: unit i's values for the 4 examples as a vec4f (for W_l,
// unit i's weights from the 4 inputs). So every formula below works on whole rows, each vec4 operation doing the
// work of 4 examples, and the net's sizes — override constants TINY_IN, TINY_UNITS1…4 — bound every row and
// every sum, so no padded unit or input is ever computed:
//   Z_l[i] = Σ_{j < fan_in} W_l[i][j]·A_{l−1}[j] + b_l[i],  A_l[i] = f(Z_l[i])      (A_0 = X)
//   δ_L from the loss,  δ_l[j] = (Σ_{i < units_next} W_{l+1}[i][j]·δ_{l+1}[i]) ⊙ f'(A_l[j])
//   dW_l[i][j] = scale·Σ_c δ_l[i][c]·A_{l−1}[j][c],  db_l[i] = scale·Σ_c δ_l[i][c] (shared: Σ_i of those)
// The `if`s on those sizes and on the activation, loss and depth codes (also override constants) compile away:
// one pipeline per net shape.
// Why: on SwiftShader workgroup memory, barriers and dynamically indexed arrays each cost about a memory round
// trip per access, and a loop over a mat4x4f's columns inside the step is not unrolled even when its bound is a
// constant (~2.0 µs/step for the 2-2-1 step against ~0.19 with the `if`s, in a throwaway probe kernel on Dawn +
// SwiftShader, 2026-12-05; loops outside the step, as in load_rows, cost nothing measurable). Earlier
// measurements, the 2-2-1 step at batch 4, µs/step: main_group (4) 17.7, private arrays walked by loops 5–7; this
// entry point holding each matrix padded to 4×4 by columns (one example a column, WGSL's mat4x4f products: every
// padded unit and input computed) 5.5, then ~1.0 with the one-exp sigmoid (train_small.wgsl). By rows, exact sizes,
// ~0.18 (`bench/probes/tiny-step.ts`; README "How the WebGPU path runs"). Only the parameters live from one step
// to the next (TinyParams): a step's Z, A and δ carried across the loop, for the last step's stores, made it
// ~0.55.
//
// NOTE: padding. Rows ≥ units_l and entries ≥ fan_in of W_l are never written (they stay 0, as loaded); columns
// (examples) ≥ n are computed like the others, from X's and Y's zero padding, with every hidden A and δ_L multiplied
// by an example mask (so a padded Z is its bias alone: finite, never ∞·0 = NaN), so their terms in dW and db are
// 0·0 = 0 and padded results are never stored. Sums over units and inputs
// run over exactly the real terms, in the CPU's ascending order; the sums over examples run over all 4, the
// padded ones adding 0 (an exact −0 may come out +0). So main_tiny agrees with the CPU within the parity
// tolerances but is not promised to be bitwise equal to main_single / main_group (a GPU may contract a·b + c
// into an FMA).

// Depth (1–4), each layer's activation code, the loss code, the inputs, each layer's units and bias mode of the
// net main_tiny runs (the same as desc's: src/webgpu/fused.ts tinyConstants).
override TINY_LAYERS: u32 = 1u;
override TINY_ACT1: u32 = 0u;
override TINY_ACT2: u32 = 0u;
override TINY_ACT3: u32 = 0u;
override TINY_ACT4: u32 = 0u;
override TINY_LOSS: u32 = 0u;
override TINY_IN: u32 = 1u;
override TINY_UNITS1: u32 = 1u;
override TINY_UNITS2: u32 = 1u;
override TINY_UNITS3: u32 = 1u;
override TINY_UNITS4: u32 = 1u;
// Each layer's bias mode (as Layer.bias: a branch on desc's, read in the loop, made the 2-2-1 step ~0.26 µs).
override TINY_BIAS1: u32 = 0u;
override TINY_BIAS2: u32 = 0u;
override TINY_BIAS3: u32 = 0u;
override TINY_BIAS4: u32 = 0u;
// The output layer's activation and units.
override TINY_ACT_OUT: u32 = select(select(select(TINY_ACT1, TINY_ACT2, TINY_LAYERS == 2u), TINY_ACT3, TINY_LAYERS == 3u), TINY_ACT4, TINY_LAYERS == 4u);
override TINY_UNITS_OUT: u32 = select(select(select(TINY_UNITS1, TINY_UNITS2, TINY_LAYERS == 2u), TINY_UNITS3, TINY_LAYERS == 3u), TINY_UNITS4, TINY_LAYERS == 4u);

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

// Σ_{j < k} w[j]·M[j], j ascending: one row of W·A (forward) or of W_nextᵀ·δ_next (backward), 4 examples at once.
fn row_dot(w: vec4f, M: mat4x4f, k: u32) -> vec4f {
  var s = w.x * M[0];
  if (k > 1u) { s += w.y * M[1]; }
  if (k > 2u) { s += w.z * M[2]; }
  if (k > 3u) { s += w.w * M[3]; }
  return s;
}

// Z_l = W_l·A_prev + b_l, rows < units.
fn rows_z(W: mat4x4f, b: vec4f, A_prev: mat4x4f, units: u32, fan_in: u32) -> mat4x4f {
  var Z = mat4x4f();
  Z[0] = row_dot(W[0], A_prev, fan_in) + b.x;
  if (units > 1u) { Z[1] = row_dot(W[1], A_prev, fan_in) + b.y; }
  if (units > 2u) { Z[2] = row_dot(W[2], A_prev, fan_in) + b.z; }
  if (units > 3u) { Z[3] = row_dot(W[3], A_prev, fan_in) + b.w; }
  return Z;
}

// A = f(Z), rows < units (softmax is applied by rows_softmax instead).
fn rows_act(act: u32, Z: mat4x4f, units: u32) -> mat4x4f {
  if (act == 4u) {
    return Z;
  }
  var A = mat4x4f();
  A[0] = act4(act, Z[0]);
  if (units > 1u) { A[1] = act4(act, Z[1]); }
  if (units > 2u) { A[2] = act4(act, Z[2]); }
  if (units > 3u) { A[3] = act4(act, Z[3]); }
  return A;
}

// A hidden layer's A with the padded examples' columns 0 (× examples; rows < units): a padded example's X is 0, so
// every Z of it is its bias alone, finite, whatever A a real example's weights would make there.
fn rows_mask(A: mat4x4f, examples: vec4f, units: u32) -> mat4x4f {
  var M = mat4x4f();
  M[0] = A[0] * examples;
  if (units > 1u) { M[1] = A[1] * examples; }
  if (units > 2u) { M[2] = A[2] * examples; }
  if (units > 3u) { M[3] = A[3] * examples; }
  return M;
}

// The max of the first `units` rows, per example.
fn rows_max(Z: mat4x4f, units: u32) -> vec4f {
  var m = Z[0];
  if (units > 1u) { m = max(m, Z[1]); }
  if (units > 2u) { m = max(m, Z[2]); }
  if (units > 3u) { m = max(m, Z[3]); }
  return m;
}

// e^(Z − max) in the first `units` rows (the example's max over its real rows), 0 in the others.
fn rows_exp_shifted(Z: mat4x4f, units: u32) -> mat4x4f {
  let m = rows_max(Z, units);
  var E = mat4x4f();
  E[0] = exp(Z[0] - m);
  if (units > 1u) { E[1] = exp(Z[1] - m); }
  if (units > 2u) { E[2] = exp(Z[2] - m); }
  if (units > 3u) { E[3] = exp(Z[3] - m); }
  return E;
}

// Σ_{i < units} M[i], i ascending, per example.
fn rows_sum(M: mat4x4f, units: u32) -> vec4f {
  var s = M[0];
  if (units > 1u) { s += M[1]; }
  if (units > 2u) { s += M[2]; }
  if (units > 3u) { s += M[3]; }
  return s;
}

// Per example: softmax over the first `units` rows with the example's max subtracted (as output()).
fn rows_softmax(Z: mat4x4f, units: u32) -> mat4x4f {
  let E = rows_exp_shifted(Z, units);
  let s = rows_sum(E, units);
  var A = mat4x4f();
  A[0] = E[0] / s;
  if (units > 1u) { A[1] = E[1] / s; }
  if (units > 2u) { A[2] = E[2] / s; }
  if (units > 3u) { A[3] = E[3] / s; }
  return A;
}

// One row of δ_L (as output()): mse (a − y)·f'(a); bce and softmax-cross-entropy a − y; 0 in padded examples.
fn out_delta_row(a: vec4f, y: vec4f, examples: vec4f) -> vec4f {
  if (TINY_LOSS == 0u) {
    return (a - y) * prime4(TINY_ACT_OUT, a) * examples;
  }
  return (a - y) * examples;
}

// δ_L, rows < units.
fn rows_out_delta(A: mat4x4f, Y: mat4x4f, units: u32, examples: vec4f) -> mat4x4f {
  var delta = mat4x4f();
  delta[0] = out_delta_row(A[0], Y[0], examples);
  if (units > 1u) { delta[1] = out_delta_row(A[1], Y[1], examples); }
  if (units > 2u) { delta[2] = out_delta_row(A[2], Y[2], examples); }
  if (units > 3u) { delta[3] = out_delta_row(A[3], Y[3], examples); }
  return delta;
}

// One row of the loss terms (as output()): unit i's term of every example's L_c.
fn out_loss_row(z: vec4f, a: vec4f, y: vec4f, lse: vec4f) -> vec4f {
  if (TINY_LOSS == 0u) {
    return (0.5 * (a - y)) * (a - y);
  }
  if (TINY_LOSS == 1u) {
    // NOTE: BCE from the logit, as output(); never log(0).
    return max(z, vec4f(0.0)) - z * y + log(1.0 + exp(-abs(z)));
  }
  // NOTE: a label of 0 adds nothing, also where lse − z overflows float32 (logits of ±2e38): 0·∞ is NaN.
  return select(vec4f(0.0), y * (lse - z), y != vec4f(0.0));
}

// Each example's loss L_c = Σ_{i < units} (unit i's term), i ascending.
fn rows_loss(Z: mat4x4f, A: mat4x4f, Y: mat4x4f, units: u32) -> vec4f {
  // NOTE: log-sum-exp over the real rows (softmax-cross-entropy only): the sum is ≥ 1, so its log is finite.
  var lse = vec4f(0.0);
  if (TINY_LOSS == 2u) {
    lse = rows_max(Z, units) + log(rows_sum(rows_exp_shifted(Z, units), units));
  }
  var L = out_loss_row(Z[0], A[0], Y[0], lse);
  if (units > 1u) { L += out_loss_row(Z[1], A[1], Y[1], lse); }
  if (units > 2u) { L += out_loss_row(Z[2], A[2], Y[2], lse); }
  if (units > 3u) { L += out_loss_row(Z[3], A[3], Y[3], lse); }
  return L;
}

// δ_l = (W_nextᵀ·δ_next) ⊙ f'(A_l), rows < units (W_nextᵀ's row j is W_next's column j).
fn rows_back(act: u32, W_next: mat4x4f, delta_next: mat4x4f, A: mat4x4f, units: u32, units_next: u32) -> mat4x4f {
  let Wt = transpose(W_next);
  var delta = mat4x4f();
  delta[0] = row_dot(Wt[0], delta_next, units_next) * prime4(act, A[0]);
  if (units > 1u) { delta[1] = row_dot(Wt[1], delta_next, units_next) * prime4(act, A[1]); }
  if (units > 2u) { delta[2] = row_dot(Wt[2], delta_next, units_next) * prime4(act, A[2]); }
  if (units > 3u) { delta[3] = row_dot(Wt[3], delta_next, units_next) * prime4(act, A[3]); }
  return delta;
}

// Row i of dW_l: scale·Σ_c δ_i[c]·A_prev[j][c] (c ascending) for j < fan_in.
fn grad_w_row(scale: f32, delta_i: vec4f, A_prev: mat4x4f, fan_in: u32) -> vec4f {
  var g = vec4f(0.0);
  g.x = sum4(delta_i * A_prev[0]);
  if (fan_in > 1u) { g.y = sum4(delta_i * A_prev[1]); }
  if (fan_in > 2u) { g.z = sum4(delta_i * A_prev[2]); }
  if (fan_in > 3u) { g.w = sum4(delta_i * A_prev[3]); }
  return g * scale;
}

// dW_l = scale·δ_l·A_prevᵀ, rows < units.
fn grad_w(scale: f32, delta: mat4x4f, A_prev: mat4x4f, units: u32, fan_in: u32) -> mat4x4f {
  var dW = mat4x4f();
  dW[0] = grad_w_row(scale, delta[0], A_prev, fan_in);
  if (units > 1u) { dW[1] = grad_w_row(scale, delta[1], A_prev, fan_in); }
  if (units > 2u) { dW[2] = grad_w_row(scale, delta[2], A_prev, fan_in); }
  if (units > 3u) { dW[3] = grad_w_row(scale, delta[3], A_prev, fan_in); }
  return dW;
}

// db_l: per-unit scale·(each row's sum over the examples); shared scale·Σ_i of those (i ascending), in every
// entry; none 0.
fn grad_b(bias: u32, scale: f32, delta: mat4x4f, units: u32) -> vec4f {
  if (bias == 0u) {
    return vec4f(0.0);
  }
  var rows = vec4f(0.0);
  rows.x = sum4(delta[0]);
  if (units > 1u) { rows.y = sum4(delta[1]); }
  if (units > 2u) { rows.z = sum4(delta[2]); }
  if (units > 3u) { rows.w = sum4(delta[3]); }
  if (bias == 2u) {
    return vec4f(scale * sum4(rows));
  }
  return scale * rows;
}

// w − lr·g in the first k entries (NOTE: as update.wgsl: lr·g rounded to float32, then subtracted).
fn sgd4(w: vec4f, g: vec4f, lr: f32, k: u32) -> vec4f {
  var next = w;
  next.x = w.x - g.x * lr;
  if (k > 1u) { next.y = w.y - g.y * lr; }
  if (k > 2u) { next.z = w.z - g.z * lr; }
  if (k > 3u) { next.w = w.w - g.w * lr; }
  return next;
}

// W − lr·dW, rows < units, entries < fan_in.
fn rows_sgd(W: mat4x4f, dW: mat4x4f, lr: f32, units: u32, fan_in: u32) -> mat4x4f {
  var next = W;
  next[0] = sgd4(W[0], dW[0], lr, fan_in);
  if (units > 1u) { next[1] = sgd4(W[1], dW[1], lr, fan_in); }
  if (units > 2u) { next[2] = sgd4(W[2], dW[2], lr, fan_in); }
  if (units > 3u) { next[3] = sgd4(W[3], dW[3], lr, fan_in); }
  return next;
}

// b − lr·db: per-unit in the first `units` entries; shared once, in every entry; none unchanged.
fn bias_sgd(bias: u32, b: vec4f, db: vec4f, lr: f32, units: u32) -> vec4f {
  if (bias == 1u) {
    return sgd4(b, db, lr, units);
  }
  if (bias == 2u) {
    return vec4f(b.x - db.x * lr);
  }
  return b;
}

// rows × n floats of acts at `at` (row-major, r·n + c) as a zero-padded matrix held by rows.
fn load_rows(at: u32, rows: u32, n: u32) -> mat4x4f {
  var m = mat4x4f();
  for (var r = 0u; r < rows; r++) {
    for (var c = 0u; c < n; c++) {
      m[r][c] = acts[at + r * n + c];
    }
  }
  return m;
}

fn store_rows(at: u32, m: mat4x4f, rows: u32, n: u32) {
  for (var r = 0u; r < rows; r++) {
    for (var c = 0u; c < n; c++) {
      acts[at + r * n + c] = m[r][c];
    }
  }
}

// W_l from params (row-major units × fan_in), held by rows: W[i][j].
fn load_w(ly: Layer) -> mat4x4f {
  var m = mat4x4f();
  for (var i = 0u; i < ly.units; i++) {
    for (var j = 0u; j < ly.fan_in; j++) {
      m[i][j] = params[ly.pw + i * ly.fan_in + j];
    }
  }
  return m;
}

// b_l as a vec4f: per-unit b_i, shared b in every entry, none 0.
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
        params[ly.pw + i * ly.fan_in + j] = W[i][j];
      } else {
        grads[ly.pw + i * ly.fan_in + j] = W[i][j];
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

// The per-example losses and the loss (scale·Σ_c L_c, c ascending) of the last step.
fn store_losses(Z: mat4x4f, A: mat4x4f, Y: mat4x4f, n: u32, scale: f32) {
  let L = rows_loss(Z, A, Y, TINY_UNITS_OUT);
  var total = 0.0;
  for (var c = 0u; c < n; c++) {
    acts[desc.loss_per_example + c] = L[c];
    total += L[c];
  }
  acts[desc.loss_at] = scale * total;
}

// The parameters main_tiny trains, in registers (a layer past TINY_LAYERS stays 0).
struct TinyParams {
  W1: mat4x4f, b1: vec4f,
  W2: mat4x4f, b2: vec4f,
  W3: mat4x4f, b3: vec4f,
  W4: mat4x4f, b4: vec4f,
}

// One step's Z_l, A_l and δ_l, each held by rows.
struct TinyStep {
  Z1: mat4x4f, A1: mat4x4f, delta1: mat4x4f,
  Z2: mat4x4f, A2: mat4x4f, delta2: mat4x4f,
  Z3: mat4x4f, A3: mat4x4f, delta3: mat4x4f,
  Z4: mat4x4f, A4: mat4x4f, delta4: mat4x4f,
}

// The output layer's Z_L and A_L (the ifs on TINY_LAYERS compile away).
fn z_out(t: TinyStep) -> mat4x4f {
  if (TINY_LAYERS == 2u) { return t.Z2; }
  if (TINY_LAYERS == 3u) { return t.Z3; }
  if (TINY_LAYERS == 4u) { return t.Z4; }
  return t.Z1;
}

fn a_out(t: TinyStep) -> mat4x4f {
  if (TINY_LAYERS == 2u) { return t.A2; }
  if (TINY_LAYERS == 3u) { return t.A3; }
  if (TINY_LAYERS == 4u) { return t.A4; }
  return t.A1;
}

// Forward and backward: Z, A and δ of every layer for the parameters p (A_0 = X; `examples`: 1 where c < n).
fn tiny_step(p: TinyParams, A0: mat4x4f, Y: mat4x4f, examples: vec4f) -> TinyStep {
  var t = TinyStep();
  // forward
  t.Z1 = rows_z(p.W1, p.b1, A0, TINY_UNITS1, TINY_IN);
  // NOTE: a hidden layer's A is masked (rows_mask): unmasked, a padded example's A_1 = f(b_1) could make its Z_2
  // overflow where no real example's does, and ∞·0 (δ_L's mask) is NaN in dW and db.
  t.A1 = rows_act(TINY_ACT1, t.Z1, TINY_UNITS1);
  if (TINY_LAYERS > 1u) { t.A1 = rows_mask(t.A1, examples, TINY_UNITS1); t.Z2 = rows_z(p.W2, p.b2, t.A1, TINY_UNITS2, TINY_UNITS1); t.A2 = rows_act(TINY_ACT2, t.Z2, TINY_UNITS2); }
  if (TINY_LAYERS > 2u) { t.A2 = rows_mask(t.A2, examples, TINY_UNITS2); t.Z3 = rows_z(p.W3, p.b3, t.A2, TINY_UNITS3, TINY_UNITS2); t.A3 = rows_act(TINY_ACT3, t.Z3, TINY_UNITS3); }
  if (TINY_LAYERS > 3u) { t.A3 = rows_mask(t.A3, examples, TINY_UNITS3); t.Z4 = rows_z(p.W4, p.b4, t.A3, TINY_UNITS4, TINY_UNITS3); t.A4 = rows_act(TINY_ACT4, t.Z4, TINY_UNITS4); }
  // output: softmax, then δ_L (real rows; padded examples 0)
  var A_L = a_out(t);
  if (TINY_ACT_OUT == 4u) {
    A_L = rows_softmax(z_out(t), TINY_UNITS_OUT);
  }
  let delta_L = rows_out_delta(A_L, Y, TINY_UNITS_OUT, examples);
  if (TINY_LAYERS == 1u) { t.A1 = A_L; t.delta1 = delta_L; }
  if (TINY_LAYERS == 2u) { t.A2 = A_L; t.delta2 = delta_L; }
  if (TINY_LAYERS == 3u) { t.A3 = A_L; t.delta3 = delta_L; }
  if (TINY_LAYERS == 4u) { t.A4 = A_L; t.delta4 = delta_L; }
  // backward
  if (TINY_LAYERS > 3u) { t.delta3 = rows_back(TINY_ACT3, p.W4, t.delta4, t.A3, TINY_UNITS3, TINY_UNITS4); }
  if (TINY_LAYERS > 2u) { t.delta2 = rows_back(TINY_ACT2, p.W3, t.delta3, t.A2, TINY_UNITS2, TINY_UNITS3); }
  if (TINY_LAYERS > 1u) { t.delta1 = rows_back(TINY_ACT1, p.W2, t.delta2, t.A1, TINY_UNITS1, TINY_UNITS2); }
  return t;
}

// The SGD update of every layer from step t's δ and A (NOTE: as update.wgsl: lr·dW and lr·db rounded to float32,
// then subtracted).
fn tiny_sgd(p: TinyParams, t: TinyStep, A0: mat4x4f, scale: f32, lr: f32) -> TinyParams {
  var q = p;
  q.W1 = rows_sgd(p.W1, grad_w(scale, t.delta1, A0, TINY_UNITS1, TINY_IN), lr, TINY_UNITS1, TINY_IN);
  q.b1 = bias_sgd(TINY_BIAS1, p.b1, grad_b(TINY_BIAS1, scale, t.delta1, TINY_UNITS1), lr, TINY_UNITS1);
  if (TINY_LAYERS > 1u) {
    q.W2 = rows_sgd(p.W2, grad_w(scale, t.delta2, t.A1, TINY_UNITS2, TINY_UNITS1), lr, TINY_UNITS2, TINY_UNITS1);
    q.b2 = bias_sgd(TINY_BIAS2, p.b2, grad_b(TINY_BIAS2, scale, t.delta2, TINY_UNITS2), lr, TINY_UNITS2);
  }
  if (TINY_LAYERS > 2u) {
    q.W3 = rows_sgd(p.W3, grad_w(scale, t.delta3, t.A2, TINY_UNITS3, TINY_UNITS2), lr, TINY_UNITS3, TINY_UNITS2);
    q.b3 = bias_sgd(TINY_BIAS3, p.b3, grad_b(TINY_BIAS3, scale, t.delta3, TINY_UNITS3), lr, TINY_UNITS3);
  }
  if (TINY_LAYERS > 3u) {
    q.W4 = rows_sgd(p.W4, grad_w(scale, t.delta4, t.A3, TINY_UNITS4, TINY_UNITS3), lr, TINY_UNITS4, TINY_UNITS3);
    q.b4 = bias_sgd(TINY_BIAS4, p.b4, grad_b(TINY_BIAS4, scale, t.delta4, TINY_UNITS4), lr, TINY_UNITS4);
  }
  return q;
}

// One layer's Z, A, δ, dW, db of the last step.
fn store_layer(ly: Layer, Z: mat4x4f, A: mat4x4f, delta: mat4x4f, A_prev: mat4x4f, n: u32, scale: f32) {
  store_rows(ly.z, Z, ly.units, n);
  store_rows(ly.a, A, ly.units, n);
  store_rows(ly.delta, delta, ly.units, n);
  store_wb(ly, grad_w(scale, delta, A_prev, ly.units, ly.fan_in), grad_b(ly.bias, scale, delta, ly.units), false);
}

@compute @workgroup_size(1)
fn main_tiny() {
  let n = desc.n;
  let lr = desc.lr;
  let scale = desc.scale;
  let ly1 = desc.layer[0];
  let ly2 = desc.layer[1];
  let ly3 = desc.layer[2];
  let ly4 = desc.layer[3];
  // The examples that exist (columns < n).
  let examples = first(n);
  var out = ly1;
  if (TINY_LAYERS == 2u) { out = ly2; }
  if (TINY_LAYERS == 3u) { out = ly3; }
  if (TINY_LAYERS == 4u) { out = ly4; }
  let Y = load_rows(desc.y, out.units, n);
  let A0 = load_rows(ly1.a_prev, ly1.fan_in, n);
  var p = TinyParams();
  p.W1 = load_w(ly1);
  p.b1 = load_b(ly1);
  if (TINY_LAYERS > 1u) { p.W2 = load_w(ly2); p.b2 = load_b(ly2); }
  if (TINY_LAYERS > 2u) { p.W3 = load_w(ly3); p.b3 = load_b(ly3); }
  if (TINY_LAYERS > 3u) { p.W4 = load_w(ly4); p.b4 = load_b(ly4); }
  // Every step but the last: only the parameters live from one step to the next. Without the update every step is
  // the same, so only the last runs.
  let update = desc.update == 1u;
  let before_last = select(0u, desc.steps - 1u, update);
  for (var s = 0u; s < before_last; s++) {
    p = tiny_sgd(p, tiny_step(p, A0, Y, examples), A0, scale, lr);
  }
  // The last step: its Z, A, δ, gradients and losses to the storage buffers where the other entry points leave
  // them, then (when updating) its update and the parameters.
  let t = tiny_step(p, A0, Y, examples);
  store_losses(z_out(t), a_out(t), Y, n, scale);
  store_layer(ly1, t.Z1, t.A1, t.delta1, A0, n, scale);
  if (TINY_LAYERS > 1u) { store_layer(ly2, t.Z2, t.A2, t.delta2, t.A1, n, scale); }
  if (TINY_LAYERS > 2u) { store_layer(ly3, t.Z3, t.A3, t.delta3, t.A2, n, scale); }
  if (TINY_LAYERS > 3u) { store_layer(ly4, t.Z4, t.A4, t.delta4, t.A3, n, scale); }
  if (update) {
    p = tiny_sgd(p, t, A0, scale, lr);
    store_wb(ly1, p.W1, p.b1, true);
    if (TINY_LAYERS > 1u) { store_wb(ly2, p.W2, p.b2, true); }
    if (TINY_LAYERS > 2u) { store_wb(ly3, p.W3, p.b3, true); }
    if (TINY_LAYERS > 3u) { store_wb(ly4, p.W4, p.b4, true); }
  }
}
