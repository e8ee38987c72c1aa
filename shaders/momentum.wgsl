// momentum.wgsl — one step of torch.optim.SGD ('sgd' and 'momentum'). CPU twin: momentum() in src/cpu/kernels.ts
//
//   g = dW + weightDecay·p
//   mu > 0:  buf ← g (first step) or mu·buf + g;   g ← g + mu·buf (nesterov) or buf
//   p ← p − lr·g
// Elementwise over every W_l and b_l at once: params, grads and buf share one layout (256-byte-aligned offsets,
// zero padding that stays zero), read as vec4s (`count` of them: the buffer is whole 256-byte blocks), two per
// invocation WG apart, as sgd.wgsl (its NOTE; 1.9× less SwiftShader time than 4 f32s in a loop, bitwise equal). Workgroups
// folded into 2-D past 65535. The block is bound with a dynamic offset: one 256-byte slot per step of a
// submission (first differs).
// With mu = 0 ('sgd') buf is a placeholder and never touched.

override WG: u32 = 64u;

struct Step {
  count: u32,
  lr: f32,
  weight_decay: f32,
  mu: f32,
  nesterov: u32,
  first: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dW: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> buf: array<vec4<f32>>;

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
  if (step.weight_decay != 0.0) {
    g = g + step.weight_decay * p[k];
  }
  if (step.mu != 0.0) {
    if (step.first == 1u) {
      buf[k] = g;
    } else {
      buf[k] = step.mu * buf[k] + g;
    }
    if (step.nesterov == 1u) {
      g = g + step.mu * buf[k];
    } else {
      g = buf[k];
    }
  }
  // NOTE: as sgd.wgsl: lr·g rounds to float32 before the subtraction (the CPU rounds once from float64).
  p[k] = p[k] - step.lr * g;
}
