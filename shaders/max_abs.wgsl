// max_abs.wgsl — the largest |θ| over every W_l and b_l, as float32 bits.      CPU twin: maxAbsOf() in src/backend.ts
//
// Run after an update and read back with the loss: a parameter that became ±Inf or NaN is caught on the call
// that made it (src/model.ts), not on the next one. The params buffer's zero padding between the 256-byte-aligned
// W_l and b_l adds nothing. Read as vec4s (`count` of them: the buffer is whole 256-byte blocks; vec4s took
// 1.8× less SwiftShader time than f32s, bench/probes/update-kernels.mjs). Each invocation takes every stride-th
// vec4, then one atomicMax per invocation.
//
// NOTE: compared as unsigned integers, not floats. With the sign bit cleared, float32 bit patterns order like the
// values they encode, +Inf is 0x7f800000 and every NaN is above it; so the result is ≥ 0x7f800000 exactly when a
// parameter is not finite, with no float comparison against NaN (which SwiftShader does not honour).

override WG: u32 = 64u;

struct Dims {
  count: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> p: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> result: array<atomic<u32>>;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
) {
  let stride = nwg.x * WG;
  var m = vec4<u32>(0u);
  for (var k = gid.x; k < dims.count; k += stride) {
    m = max(m, p[k] & vec4<u32>(0x7fffffffu));
  }
  atomicMax(&result[0], max(max(m.x, m.y), max(m.z, m.w)));
}
