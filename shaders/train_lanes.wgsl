// train_lanes.wgsl — main_lanes: main_tiny's nets (inputs, every layer's units and the batch all ≤ 4) on FOUR
// invocations, one example each, where the device has the `subgroups` feature.
//
// Why a file of its own: a module that says `enable subgroups;` does not compile on a device without the feature
// (as shaders/matmul_subgroups.wgsl). So src/webgpu/kernels.ts compiles this file only on such a device, as ONE
// module: the line `enable subgroups;`, then train_small.wgsl, train_tiny.wgsl and this file — Desc, the bindings
// and the activations are train_small.wgsl's; the TINY_* constants, TinyParams, load_w, load_b, store_wb, rows_sgd,
// bias_sgd and out_delta_row train_tiny.wgsl's.
//
// Lane c holds example c's column of every Z_l, A_l, δ_l as a vec4f over the units (rows ≥ units_l stay 0); W_l is
// held by rows as in main_tiny, the same in every lane. A step is main_tiny's formulas per example:
//   Z_l[i] = Σ_{j < fan_in} W_l[i][j]·A_{l−1}[j] + b_l[i],  A_l[i] = f(Z_l[i])
//   δ_l[j] = (Σ_{i < units_next} W_{l+1}[i][j]·δ_{l+1}[i]) · f'(A_l[j])
// and the sums over the examples, dW_l[i][j] = scale·Σ_c δ_l[i][c]·A_{l−1}[j][c] and db_l, are subgroupAdd over
// the 4 lanes, which every lane gets, so every lane makes the same update and W stays the same in all four.
// Why: on SwiftShader the 4 invocations are one SIMD group, so each lane's arithmetic costs what main_tiny's
// single invocation pays for one of its vec4 operations over the examples — the exps of a layer once instead of
// once per example.
// NOTE: summation order. subgroupAdd's order over the lanes is the implementation's, not the CPU's ascending c:
// dW, db and the losses' sum may differ from main_tiny's in the last bits (within the parity tolerances). The
// sums over units and inputs keep the CPU's ascending order.
// NOTE: every lane runs every step, examples c ≥ n included (their X and Y are 0, their hidden a and δ_L × 0), so every
// subgroupAdd is reached by all 4 lanes: the loop's bounds and every branch around one are uniform (desc's).

// Σ_{j < k} w[j]·a[j], j ascending.
fn lane_dot(w: vec4f, a: vec4f, k: u32) -> f32 {
  var s = w.x * a.x;
  if (k > 1u) { s += w.y * a.y; }
  if (k > 2u) { s += w.z * a.z; }
  if (k > 3u) { s += w.w * a.w; }
  return s;
}

// This example's z = W·a_prev + b, units < `units`.
fn lane_z(W: mat4x4f, b: vec4f, a_prev: vec4f, units: u32, fan_in: u32) -> vec4f {
  var z = vec4f(0.0);
  z.x = lane_dot(W[0], a_prev, fan_in) + b.x;
  if (units > 1u) { z.y = lane_dot(W[1], a_prev, fan_in) + b.y; }
  if (units > 2u) { z.z = lane_dot(W[2], a_prev, fan_in) + b.z; }
  if (units > 3u) { z.w = lane_dot(W[3], a_prev, fan_in) + b.w; }
  return z;
}

// a = f(z), units < `units` (softmax: lane_softmax instead).
fn lane_act(act: u32, z: vec4f, units: u32) -> vec4f {
  if (act == 4u) {
    return z;
  }
  var a = vec4f(0.0);
  a.x = activate(act, z.x);
  if (units > 1u) { a.y = activate(act, z.y); }
  if (units > 2u) { a.z = activate(act, z.z); }
  if (units > 3u) { a.w = activate(act, z.w); }
  return a;
}

// The max of z's first `units` entries.
fn lane_max(z: vec4f, units: u32) -> f32 {
  var m = z.x;
  if (units > 1u) { m = max(m, z.y); }
  if (units > 2u) { m = max(m, z.z); }
  if (units > 3u) { m = max(m, z.w); }
  return m;
}

// e^(z − max) in the first `units` entries, 0 after.
fn lane_exp_shifted(z: vec4f, units: u32) -> vec4f {
  let m = lane_max(z, units);
  var e = vec4f(0.0);
  e.x = exp(z.x - m);
  if (units > 1u) { e.y = exp(z.y - m); }
  if (units > 2u) { e.z = exp(z.z - m); }
  if (units > 3u) { e.w = exp(z.w - m); }
  return e;
}

// Softmax over the first `units` entries, the max subtracted (as output()); the padded entries' e are 0.
fn lane_softmax(z: vec4f, units: u32) -> vec4f {
  let e = lane_exp_shifted(z, units);
  return e / sum4(e);
}

// This example's loss L_c = Σ_{i < units} (unit i's term), i ascending (as output()).
fn lane_loss(z: vec4f, a: vec4f, y: vec4f, units: u32) -> f32 {
  var lse = 0.0;
  if (TINY_LOSS == 2u) {
    // NOTE: log-sum-exp over the real rows: the sum is ≥ 1, so its log is finite.
    lse = lane_max(z, units) + log(sum4(lane_exp_shifted(z, units)));
  }
  let terms = out_loss_row(z, a, y, vec4f(lse));
  var L = terms.x;
  if (units > 1u) { L += terms.y; }
  if (units > 2u) { L += terms.z; }
  if (units > 3u) { L += terms.w; }
  return L;
}

// This example's δ_l = (W_nextᵀ·δ_next) · f'(a), units < `units`.
fn lane_back(act: u32, W_next: mat4x4f, delta_next: vec4f, a: vec4f, units: u32, units_next: u32) -> vec4f {
  let Wt = transpose(W_next);
  var d = vec4f(0.0);
  d.x = lane_dot(Wt[0], delta_next, units_next) * activate_prime(act, a.x);
  if (units > 1u) { d.y = lane_dot(Wt[1], delta_next, units_next) * activate_prime(act, a.y); }
  if (units > 2u) { d.z = lane_dot(Wt[2], delta_next, units_next) * activate_prime(act, a.z); }
  if (units > 3u) { d.w = lane_dot(Wt[3], delta_next, units_next) * activate_prime(act, a.w); }
  return d;
}

// Row i of dW_l: scale·Σ_c δ_i·a_prev[j] over the lanes, j < fan_in.
fn lane_grad_w_row(scale: f32, delta_i: f32, a_prev: vec4f, fan_in: u32) -> vec4f {
  var g = vec4f(0.0);
  g.x = scale * subgroupAdd(delta_i * a_prev.x);
  if (fan_in > 1u) { g.y = scale * subgroupAdd(delta_i * a_prev.y); }
  if (fan_in > 2u) { g.z = scale * subgroupAdd(delta_i * a_prev.z); }
  if (fan_in > 3u) { g.w = scale * subgroupAdd(delta_i * a_prev.w); }
  return g;
}

fn lane_grad_w(scale: f32, delta: vec4f, a_prev: vec4f, units: u32, fan_in: u32) -> mat4x4f {
  var dW = mat4x4f();
  dW[0] = lane_grad_w_row(scale, delta.x, a_prev, fan_in);
  if (units > 1u) { dW[1] = lane_grad_w_row(scale, delta.y, a_prev, fan_in); }
  if (units > 2u) { dW[2] = lane_grad_w_row(scale, delta.z, a_prev, fan_in); }
  if (units > 3u) { dW[3] = lane_grad_w_row(scale, delta.w, a_prev, fan_in); }
  return dW;
}

// db_l: per-unit scale·(each unit's sum over the lanes); shared scale·Σ_i of those (i ascending); none 0.
fn lane_grad_b(bias: u32, scale: f32, delta: vec4f, units: u32) -> vec4f {
  if (bias == 0u) {
    return vec4f(0.0);
  }
  var rows = vec4f(0.0);
  rows.x = subgroupAdd(delta.x);
  if (units > 1u) { rows.y = subgroupAdd(delta.y); }
  if (units > 2u) { rows.z = subgroupAdd(delta.z); }
  if (units > 3u) { rows.w = subgroupAdd(delta.w); }
  if (bias == 2u) {
    return vec4f(scale * sum4(rows));
  }
  return scale * rows;
}

// One step's z, a and δ of every layer for this example.
struct LaneStep {
  z1: vec4f, a1: vec4f, delta1: vec4f,
  z2: vec4f, a2: vec4f, delta2: vec4f,
  z3: vec4f, a3: vec4f, delta3: vec4f,
  z4: vec4f, a4: vec4f, delta4: vec4f,
}

fn lane_z_out(t: LaneStep) -> vec4f {
  if (TINY_LAYERS == 2u) { return t.z2; }
  if (TINY_LAYERS == 3u) { return t.z3; }
  if (TINY_LAYERS == 4u) { return t.z4; }
  return t.z1;
}

fn lane_a_out(t: LaneStep) -> vec4f {
  if (TINY_LAYERS == 2u) { return t.a2; }
  if (TINY_LAYERS == 3u) { return t.a3; }
  if (TINY_LAYERS == 4u) { return t.a4; }
  return t.a1;
}

// Forward and backward for this example (main_tiny's tiny_step, one column).
fn lane_step(p: TinyParams, a0: vec4f, y: vec4f, example: f32) -> LaneStep {
  var t = LaneStep();
  t.z1 = lane_z(p.W1, p.b1, a0, TINY_UNITS1, TINY_IN);
  // NOTE: a hidden layer's a × example (0 for c ≥ n), as main_tiny's rows_mask: a padded lane's z is its bias alone.
  t.a1 = lane_act(TINY_ACT1, t.z1, TINY_UNITS1);
  if (TINY_LAYERS > 1u) { t.a1 *= example; t.z2 = lane_z(p.W2, p.b2, t.a1, TINY_UNITS2, TINY_UNITS1); t.a2 = lane_act(TINY_ACT2, t.z2, TINY_UNITS2); }
  if (TINY_LAYERS > 2u) { t.a2 *= example; t.z3 = lane_z(p.W3, p.b3, t.a2, TINY_UNITS3, TINY_UNITS2); t.a3 = lane_act(TINY_ACT3, t.z3, TINY_UNITS3); }
  if (TINY_LAYERS > 3u) { t.a3 *= example; t.z4 = lane_z(p.W4, p.b4, t.a3, TINY_UNITS4, TINY_UNITS3); t.a4 = lane_act(TINY_ACT4, t.z4, TINY_UNITS4); }
  var a_L = lane_a_out(t);
  if (TINY_ACT_OUT == 4u) {
    a_L = lane_softmax(lane_z_out(t), TINY_UNITS_OUT);
  }
  // δ_L (train_tiny.wgsl's out_delta_row on this example's column): padded units' a = y = 0 give 0; × example.
  let delta_L = out_delta_row(a_L, y, vec4f(example));
  if (TINY_LAYERS == 1u) { t.a1 = a_L; t.delta1 = delta_L; }
  if (TINY_LAYERS == 2u) { t.a2 = a_L; t.delta2 = delta_L; }
  if (TINY_LAYERS == 3u) { t.a3 = a_L; t.delta3 = delta_L; }
  if (TINY_LAYERS == 4u) { t.a4 = a_L; t.delta4 = delta_L; }
  if (TINY_LAYERS > 3u) { t.delta3 = lane_back(TINY_ACT3, p.W4, t.delta4, t.a3, TINY_UNITS3, TINY_UNITS4); }
  if (TINY_LAYERS > 2u) { t.delta2 = lane_back(TINY_ACT2, p.W3, t.delta3, t.a2, TINY_UNITS2, TINY_UNITS3); }
  if (TINY_LAYERS > 1u) { t.delta1 = lane_back(TINY_ACT1, p.W2, t.delta2, t.a1, TINY_UNITS1, TINY_UNITS2); }
  return t;
}

// The SGD update (as tiny_sgd), its sums over the examples across the lanes.
fn lane_sgd(p: TinyParams, t: LaneStep, a0: vec4f, scale: f32, lr: f32) -> TinyParams {
  var q = p;
  q.W1 = rows_sgd(p.W1, lane_grad_w(scale, t.delta1, a0, TINY_UNITS1, TINY_IN), lr, TINY_UNITS1, TINY_IN);
  q.b1 = bias_sgd(TINY_BIAS1, p.b1, lane_grad_b(TINY_BIAS1, scale, t.delta1, TINY_UNITS1), lr, TINY_UNITS1);
  if (TINY_LAYERS > 1u) {
    q.W2 = rows_sgd(p.W2, lane_grad_w(scale, t.delta2, t.a1, TINY_UNITS2, TINY_UNITS1), lr, TINY_UNITS2, TINY_UNITS1);
    q.b2 = bias_sgd(TINY_BIAS2, p.b2, lane_grad_b(TINY_BIAS2, scale, t.delta2, TINY_UNITS2), lr, TINY_UNITS2);
  }
  if (TINY_LAYERS > 2u) {
    q.W3 = rows_sgd(p.W3, lane_grad_w(scale, t.delta3, t.a2, TINY_UNITS3, TINY_UNITS2), lr, TINY_UNITS3, TINY_UNITS2);
    q.b3 = bias_sgd(TINY_BIAS3, p.b3, lane_grad_b(TINY_BIAS3, scale, t.delta3, TINY_UNITS3), lr, TINY_UNITS3);
  }
  if (TINY_LAYERS > 3u) {
    q.W4 = rows_sgd(p.W4, lane_grad_w(scale, t.delta4, t.a3, TINY_UNITS4, TINY_UNITS3), lr, TINY_UNITS4, TINY_UNITS3);
    q.b4 = bias_sgd(TINY_BIAS4, p.b4, lane_grad_b(TINY_BIAS4, scale, t.delta4, TINY_UNITS4), lr, TINY_UNITS4);
  }
  return q;
}

// Example c's column (rows floats of acts at `at`, row-major r·n + c) as a zero-padded vec4f; 0 for c ≥ n.
fn lane_load(at: u32, rows: u32, n: u32, c: u32) -> vec4f {
  var v = vec4f(0.0);
  if (c < n) {
    for (var r = 0u; r < rows; r++) {
      v[r] = acts[at + r * n + c];
    }
  }
  return v;
}

fn lane_store(at: u32, v: vec4f, rows: u32, n: u32, c: u32) {
  if (c < n) {
    for (var r = 0u; r < rows; r++) {
      acts[at + r * n + c] = v[r];
    }
  }
}

// One layer's z, a, δ (each lane its example's), dW and db (lane 0) of the last step.
fn lane_store_layer(ly: Layer, z: vec4f, a: vec4f, delta: vec4f, a_prev: vec4f, n: u32, c: u32, scale: f32) {
  lane_store(ly.z, z, ly.units, n, c);
  lane_store(ly.a, a, ly.units, n, c);
  lane_store(ly.delta, delta, ly.units, n, c);
  let dW = lane_grad_w(scale, delta, a_prev, ly.units, ly.fan_in);
  let db = lane_grad_b(ly.bias, scale, delta, ly.units);
  if (c == 0u) {
    store_wb(ly, dW, db, false);
  }
}

@compute @workgroup_size(4)
fn main_lanes(@builtin(local_invocation_index) c: u32) {
  let n = desc.n;
  let lr = desc.lr;
  let scale = desc.scale;
  let ly1 = desc.layer[0];
  let ly2 = desc.layer[1];
  let ly3 = desc.layer[2];
  let ly4 = desc.layer[3];
  let example = select(0.0, 1.0, c < n);
  var out = ly1;
  if (TINY_LAYERS == 2u) { out = ly2; }
  if (TINY_LAYERS == 3u) { out = ly3; }
  if (TINY_LAYERS == 4u) { out = ly4; }
  let y = lane_load(desc.y, out.units, n, c);
  let a0 = lane_load(ly1.a_prev, ly1.fan_in, n, c);
  var p = TinyParams();
  p.W1 = load_w(ly1);
  p.b1 = load_b(ly1);
  if (TINY_LAYERS > 1u) { p.W2 = load_w(ly2); p.b2 = load_b(ly2); }
  if (TINY_LAYERS > 2u) { p.W3 = load_w(ly3); p.b3 = load_b(ly3); }
  if (TINY_LAYERS > 3u) { p.W4 = load_w(ly4); p.b4 = load_b(ly4); }
  // As main_tiny: every step but the last carries only the parameters; without the update only the last runs.
  let update = desc.update == 1u;
  let before_last = select(0u, desc.steps - 1u, update);
  for (var s = 0u; s < before_last; s++) {
    p = lane_sgd(p, lane_step(p, a0, y, example), a0, scale, lr);
  }
  let t = lane_step(p, a0, y, example);
  // The losses: each lane its example's, lane 0 their sum (subgroupAdd of 0 for c ≥ n).
  let L = lane_loss(lane_z_out(t), lane_a_out(t), y, TINY_UNITS_OUT);
  let total = subgroupAdd(select(0.0, L, c < n));
  if (c < n) { acts[desc.loss_per_example + c] = L; }
  if (c == 0u) { acts[desc.loss_at] = scale * total; }
  lane_store_layer(ly1, t.z1, t.a1, t.delta1, a0, n, c, scale);
  if (TINY_LAYERS > 1u) { lane_store_layer(ly2, t.z2, t.a2, t.delta2, t.a1, n, c, scale); }
  if (TINY_LAYERS > 2u) { lane_store_layer(ly3, t.z3, t.a3, t.delta3, t.a2, n, c, scale); }
  if (TINY_LAYERS > 3u) { lane_store_layer(ly4, t.z4, t.a4, t.delta4, t.a3, n, c, scale); }
  if (update) {
    p = lane_sgd(p, t, a0, scale, lr);
    if (c == 0u) {
      store_wb(ly1, p.W1, p.b1, true);
      if (TINY_LAYERS > 1u) { store_wb(ly2, p.W2, p.b2, true); }
      if (TINY_LAYERS > 2u) { store_wb(ly3, p.W3, p.b3, true); }
      if (TINY_LAYERS > 3u) { store_wb(ly4, p.W4, p.b4, true); }
    }
  }
}
