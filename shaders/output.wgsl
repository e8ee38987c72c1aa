// output.wgsl — per example c: the loss L_c and the output delta δ_L[:, c] = ∂L_c/∂Z_L.
//                                                                   CPU twin: output() in src/cpu/kernels.ts
// Z, A, Y, delta (M × N), loss_per_example (N). One invocation per example (column).
//   mse:  L_c = ½ Σ_i (A − Y)²,  δ_L = (A − Y) ⊙ f'(A)
//   bce:  L_c = Σ_i max(z, 0) − z·y + log(1 + e^−|z|)   (from the logit),  δ_L = A − Y
//   softmax-cross-entropy: A[:, c] = softmax(Z[:, c]) first (the CPU's softmaxColumns, which matmul.wgsl's
//         forward epilogue leaves to this kernel), then L_c = Σ_i y_i (logsumexp(z) − z_i),  δ_L = A − Y
// The batch reduction (1/N or 1) is applied later, in grad_w, reduce_rows and the loss reduction.

// Loss: 0 mse, 1 bce, 2 softmax-cross-entropy.
override LOSS: u32 = 0u;
// Output activation (for mse's f'; src/webgpu/kernels.ts ACT_CODE): 0 identity, 1 sigmoid, 2 relu, 3 tanh, 4 softmax,
// 5 leaky_relu.
override ACT: u32 = 0u;
override WG: u32 = 64u;

// M: output units, N: examples (the batch), total: workgroups dispatched (src/webgpu/net.ts outputDispatch writes it).
struct Dims {
  M: u32,
  N: u32,
  total: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> Z: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<f32>;
@group(0) @binding(3) var<storage, read> Y: array<f32>;
@group(0) @binding(4) var<storage, read_write> delta: array<f32>;
@group(0) @binding(5) var<storage, read_write> loss_per_example: array<f32>;

// NOTE: a copy of matmul.wgsl's activate_prime (WGSL has no include; train_small.wgsl has a third): f' from
// a = f(z); leaky_relu's 0.01 is LEAKY_SLOPE (src/spec.ts). Change all three together.
fn activate_prime(a: f32) -> f32 {
  if (ACT == 1u) {
    return a * (1.0 - a);
  }
  if (ACT == 2u) {
    return select(0.0, 1.0, a > 0.0);
  }
  if (ACT == 5u) {
    return select(0.01, 1.0, a > 0.0);
  }
  if (ACT == 3u) {
    return 1.0 - a * a;
  }
  return 1.0;
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
) {
  let g = wid.y * nwg.x + wid.x;
  let c = g * WG + lidx;
  let M = dims.M;
  let N = dims.N;
  if (g >= dims.total || c >= N) {
    return;
  }
  var L = 0.0;
  if (LOSS == 2u) {
    // NOTE: softmax with the column max subtracted first, so exp never overflows (as softmaxColumns).
    var zmax = Z[c];
    for (var i = 1u; i < M; i++) {
      zmax = max(zmax, Z[i * N + c]);
    }
    var sum = 0.0;
    for (var i = 0u; i < M; i++) {
      sum += exp(Z[i * N + c] - zmax);
    }
    for (var i = 0u; i < M; i++) {
      let k = i * N + c;
      A[k] = exp(Z[k] - zmax) / sum;
    }
    // NOTE: sum ≥ 1 (the max term is e^0), so log(sum) is finite: no log(0).
    let logsumexp = zmax + log(sum);
    for (var i = 0u; i < M; i++) {
      let k = i * N + c;
      // NOTE: a label of 0 adds nothing, also where logsumexp − z overflows float32 (logits of ±2e38): 0·∞ is NaN.
      if (Y[k] != 0.0) {
        L += Y[k] * (logsumexp - Z[k]);
      }
    }
  }
  for (var i = 0u; i < M; i++) {
    let k = i * N + c;
    let a = A[k];
    let y = Y[k];
    let z = Z[k];
    if (LOSS == 0u) {
      L += 0.5 * (a - y) * (a - y);
      delta[k] = (a - y) * activate_prime(a);
    } else {
      if (LOSS == 1u) {
        // NOTE: BCE from the logit z: −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|).
        // Never log(0) (SwiftShader's log(0) is −88.03, not −Inf), and the same formula as the CPU.
        L += max(z, 0.0) - z * y + log(1.0 + exp(-abs(z)));
      }
      delta[k] = a - y;
    }
  }
  loss_per_example[c] = L;
}
