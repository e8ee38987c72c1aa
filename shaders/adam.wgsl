// adam.wgsl — one step of torch.optim.Adam / AdamW.                  CPU twin: adam() in src/cpu/kernels.ts
//
//   AdamW (decoupled = 1): p ← p·(1 − lr·weightDecay), g = dW;     Adam: g = dW + weightDecay·p
//   m ← beta1·m + (1 − beta1)·g
//   v ← beta2·v + (1 − beta2)·g²
//   p ← p − stepSize·m / (√v / bias2Sqrt + eps)
// stepSize = lr / (1 − beta1^t) and bias2Sqrt = √(1 − beta2^t) are computed on the host in float64 per step t
// (src/train/optimizers.ts stepScalars), as PyTorch computes them in Python floats. Layout and dispatch as
// momentum.wgsl (vec4s, two per invocation: 1.8× less SwiftShader time, bitwise equal); one 256-byte uniform slot per step of a submission.

override WG: u32 = 64u;

struct Step {
  count: u32,
  lr: f32,
  weight_decay: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  step_size: f32,
  bias2_sqrt: f32,
  decoupled: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dW: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> v: array<vec4<f32>>;

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
  var g = dW[k];
  if (step.decoupled == 1u) {
    p[k] = p[k] * (1.0 - step.lr * step.weight_decay);
  } else if (step.weight_decay != 0.0) {
    g = g + step.weight_decay * p[k];
  }
  m[k] = step.beta1 * m[k] + (1.0 - step.beta1) * g;
  v[k] = step.beta2 * v[k] + (1.0 - step.beta2) * g * g;
  p[k] = p[k] - step.step_size * m[k] / (sqrt(v[k]) / step.bias2_sqrt + step.eps);
}
