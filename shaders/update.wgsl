// update.wgsl — one optimiser step, elementwise over every W_l and b_l.        CPU twins: src/cpu/kernels.ts
//
// OPT picks the rule (an override constant: one pipeline each, the other branches compiled away):
//   0  sgd (Model.train / step, src/webgpu/net.ts):    p ← p − lr·dW                                     ↔ sgd()
//   1  torch.optim.SGD (fit's 'sgd', 'momentum'):      g = dW + weightDecay·p                             ↔ momentum()
//        mu > 0:  buf ← g (first step) or mu·buf + g;   g ← g + mu·buf (nesterov) or buf
//        p ← p − lr·g
//   2  torch.optim.Adam / AdamW (fit's 'adam', 'adamw'):                                                ↔ adam()
//        AdamW (decoupled = 1): p ← p·(1 − lr·weightDecay), g = dW;     Adam: g = dW + weightDecay·p
//        m ← beta1·m + (1 − beta1)·g
//        v ← beta2·v + (1 − beta2)·g²
//        p ← p − stepSize·m / (√v / bias2Sqrt + eps)
//      stepSize = lr / (1 − beta1^t) and bias2Sqrt = √(1 − beta2^t) are computed on the host in float64 per step t
//      (src/train/optimizers.ts stepScalars), as PyTorch computes them in Python floats; so are 1 − beta1, 1 − beta2
//      and AdamW's decay = 1 − lr·weightDecay (one_minus_beta1, one_minus_beta2, decay).
//      NOTE: 1 − beta2 in float32 here, from beta2 = 0.999 rounded to float32, is 1.29e-5 too small (relative): every
//      Adam step came out 6.4e-6 larger than the CPU's (float64) and PyTorch's, a bias that grew with the steps.
// State: s1 is buf (1) or m (2), s2 is v (2); a rule that has no use for one binds a small placeholder (1 with
// mu = 0 never touches buf). Fit (src/webgpu/train.ts) binds `step` with a dynamic offset: one 256-byte slot per step
// of a submission and chunk of params.
//
// params (p), grads (dW) and the state share one layout (each matrix / vector at a 256-byte-aligned offset; the
// padding is zero in all of them, so it stays zero). Read as vec4s: the params buffer is a whole number of 256-byte
// blocks, and so is every chunk of it bound (src/webgpu/update.ts), so `count` (vec4s) covers a chunk exactly. Two
// vec4s per invocation, WG apart (neighbouring invocations read neighbouring vec4s); workgroups folded into 2-D past
// 65535.
// NOTE: vec4s, two per invocation, written out rather than looped: on SwiftShader (a CPU emulation, 4 invocations
// per SIMD group) the earlier loop over 4 f32s per invocation took 2.5× (sgd), 1.9× (momentum) and 1.8× (adam) the
// worker CPU time of this for 407 296 parameters, 4× config b's (bench/probes/update-kernels.mjs at d4638d7); each
// component is the same float32 arithmetic, so results are bitwise equal (the probe checks).

override WG: u32 = 64u;
override OPT: u32 = 0u;

const SGD = 0u;
const MOMENTUM = 1u;

struct Step {
  count: u32,
  lr: f32,
  weight_decay: f32,
  mu: f32,
  nesterov: u32,
  first: u32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  step_size: f32,
  bias2_sqrt: f32,
  decoupled: u32,
  one_minus_beta1: f32,
  one_minus_beta2: f32,
  decay: f32,
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dW: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> s1: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> s2: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let k0 = (wid.y * nwg.x + wid.x) * WG * 2u + t;
  update(k0);
  update(k0 + WG);
}

fn update(k: u32) {
  if (k >= step.count) {
    return;
  }
  if (OPT == SGD) {
    // NOTE: lr·dW is rounded to float32 before the subtraction (the CPU rounds p − lr·dW once, from float64):
    // the two may differ by one ulp of p per step. The same in the other rules.
    p[k] = p[k] - step.lr * dW[k];
  } else if (OPT == MOMENTUM) {
    var g = dW[k];
    if (step.weight_decay != 0.0) {
      g = g + step.weight_decay * p[k];
    }
    if (step.mu != 0.0) {
      if (step.first == 1u) {
        s1[k] = g;
      } else {
        s1[k] = step.mu * s1[k] + g;
      }
      if (step.nesterov == 1u) {
        g = g + step.mu * s1[k];
      } else {
        g = s1[k];
      }
    }
    p[k] = p[k] - step.lr * g;
  } else {
    var g = dW[k];
    if (step.decoupled == 1u) {
      p[k] = p[k] * step.decay;
    } else if (step.weight_decay != 0.0) {
      g = g + step.weight_decay * p[k];
    }
    s1[k] = step.beta1 * s1[k] + step.one_minus_beta1 * g;
    s2[k] = step.beta2 * s2[k] + step.one_minus_beta2 * g * g;
    p[k] = p[k] - step.step_size * s1[k] / (sqrt(s2[k]) / step.bias2_sqrt + step.eps);
  }
}
