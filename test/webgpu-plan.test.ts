/**
 * The WebGPU backend's host-side plans, with no GPU (review wgmut55, a mutation audit of src/webgpu/*.ts): the
 * workgroup counts and `Dims` block of each GEMM variant (src/webgpu/matmul.ts planMatmul), the update kernels'
 * chunks and workgroups (src/webgpu/update.ts planUpdate), which nets main_tiny / main_lanes take (src/webgpu/fused.ts
 * tinyFits) and the workgroup-memory size class of a fused net (fusedCap). A plan one workgroup short, or a fused
 * kernel given a net it cannot hold, gives wrong numbers with no error on a device; the Dawn run (test/dawn.test.ts)
 * reaches only the shapes its nets have.
 *
 * Expected values are worked by hand from what each kernel covers (its WGSL): main_blocked 12 rows × 8 columns per
 * invocation in workgroups of at most 4 × 4 invocations; main_tiled / main_tiled4 a 64 × 64 tile per workgroup;
 * main_subgroup 8 rows × (4 · 64) columns per workgroup; main_blocked_subgroup 16 rows × (8 · 4) columns; update.wgsl
 * two vec4s per invocation, 64 invocations a workgroup (128 vec4s = 2048 bytes a workgroup).
 */
import { describe, expect, it } from 'vitest';
import type { Net } from '../src/spec.ts';
import { fusedCap, tinyFits } from '../src/webgpu/fused.ts';
import { planMatmul } from '../src/webgpu/matmul.ts';
import { deviceUpdateLimits, planUpdate } from '../src/webgpu/update.ts';

const PLAIN = { transL: false, transR: false };

/** The Dims block's six fields: R, K, C, groups along the columns, total groups (u32), scale (f32). */
function dims(buf: ArrayBuffer): number[] {
  const v = new DataView(buf);
  return [0, 4, 8, 12, 16].map((o) => v.getUint32(o, true)).concat(v.getFloat32(20, true));
}

describe('planMatmul: workgroups that cover the R × C output, no fewer (src/webgpu/matmul.ts)', () => {
  it("'blocked': 60 × 17 (K 3) is ⌈60/12⌉ = 5 row blocks in workgroups of 4 (2 workgroups), ⌈17/8⌉ = 3 column blocks in 4 (1)", () => {
    const p = planMatmul('blocked', 'forward', [60, 3, 17], 1, PLAIN, { ACT: 3, BIAS: 1 });
    expect(p.entry).toBe('main_blocked');
    expect(p.constants).toMatchObject({ WG_X: 4, WG_Y: 4, ACT: 3, BIAS: 1, EPILOGUE: 0, TRANS_L: 0, TRANS_R: 0 });
    expect(p.groups).toEqual({ x: 2, y: 1 });
    expect(dims(p.dims)).toEqual([60, 3, 17, 1, 2, 1]);
  });

  it("'blocked': 5 × 100 (K 7): ⌈100/8⌉ = 13 column blocks in 4 → 4 workgroups, one row block (workgroups of 4 × 1)", () => {
    const p = planMatmul('blocked', 'grad_w', [5, 7, 100], 0.25, { transL: false, transR: true }, {});
    expect(p.constants).toMatchObject({ WG_X: 4, WG_Y: 1, EPILOGUE: 2, TRANS_L: 0, TRANS_R: 1 });
    expect(dims(p.dims)).toEqual([5, 7, 100, 4, 4, 0.25]);
    expect(p.groups).toEqual({ x: 4, y: 1 });
  });

  it("'blocked-subgroup': 17 × 33 is ⌈17/16⌉ = 2 rows by ⌈33/32⌉ = 2 columns of workgroups", () => {
    const p = planMatmul('blocked-subgroup', 'forward', [17, 2, 33], 1, PLAIN, {});
    expect(p.entry).toBe('main_blocked_subgroup');
    expect(p.constants).toMatchObject({ SG_WG: 4 });
    expect(dims(p.dims)).toEqual([17, 2, 33, 2, 4, 1]);
    expect(p.groups).toEqual({ x: 4, y: 1 });
  });

  it("'subgroup': 17 × 300 is ⌈17/8⌉ = 3 rows by ⌈300/256⌉ = 2 columns of workgroups", () => {
    const p = planMatmul('subgroup', 'backward', [17, 4, 300], 1, { transL: true, transR: false }, { ACT: 1 });
    expect(p.entry).toBe('main_subgroup');
    expect(p.constants).toMatchObject({ SG_WG: 64, ACT: 1, EPILOGUE: 1, TRANS_L: 1, TRANS_R: 0 });
    expect(dims(p.dims)).toEqual([17, 4, 300, 2, 6, 1]);
    expect(p.groups).toEqual({ x: 6, y: 1 });
  });

  it("'tiled': 65 × 130 is ⌈65/64⌉ = 2 by ⌈130/64⌉ = 3 tiles; main_tiled4 only where both contiguous dimensions are multiples of 4", () => {
    const p = planMatmul('tiled', 'forward', [65, 8, 130], 1, PLAIN, {});
    expect(dims(p.dims)).toEqual([65, 8, 130, 3, 6, 1]);
    // forward (lhs R × K, rhs K × C): contiguous K and C; 130 is not a multiple of 4.
    expect(p.entry).toBe('main_tiled');
    // forward 5 × 8 · 8 × 12: K = 8 and C = 12 → vec4 loads (R = 5 is not contiguous in either operand).
    expect(planMatmul('tiled', 'forward', [5, 8, 12], 1, PLAIN, {}).entry).toBe('main_tiled4');
    // backward (lhs stored K × R, transL): contiguous R and C; R = 6 is not a multiple of 4, K = 8 is.
    expect(planMatmul('tiled', 'backward', [6, 8, 12], 1, { transL: true, transR: false }, {}).entry).toBe('main_tiled');
    expect(planMatmul('tiled', 'backward', [8, 6, 12], 1, { transL: true, transR: false }, {}).entry).toBe('main_tiled4');
    // grad_w (rhs stored C × K, transR): contiguous K (lhs R × K) and K (rhs); C = 3 does not matter.
    expect(planMatmul('tiled', 'grad_w', [5, 12, 3], 1, { transL: false, transR: true }, {}).entry).toBe('main_tiled4');
    expect(planMatmul('tiled', 'grad_w', [8, 6, 4], 1, { transL: false, transR: true }, {}).entry).toBe('main_tiled');
  });

  it('every variant covers every output of a range of shapes with the fewest workgroups (each kernel\'s block, by hand)', () => {
    const ceil = (a: number, b: number): number => Math.ceil(a / b);
    const pow2 = (x: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, x)));
    for (const R of [1, 3, 12, 13, 47, 48, 49, 64, 65, 200]) {
      for (const C of [1, 4, 8, 9, 31, 32, 33, 255, 257, 1000]) {
        const blocked = planMatmul('blocked', 'forward', [R, 2, C], 1, PLAIN, {});
        const [rb, cb] = [ceil(R, 12), ceil(C, 8)];
        const [wy, wx] = [Math.min(4, pow2(rb)), Math.min(4, pow2(cb))];
        expect([blocked.constants.WG_Y, blocked.constants.WG_X, ...dims(blocked.dims).slice(3, 5)], `blocked ${R}×${C}`)
          .toEqual([wy, wx, ceil(cb, wx), ceil(cb, wx) * ceil(rb, wy)]);
        const want: [string, number, number][] = [['tiled', 64, 64], ['subgroup', 8, 256], ['blocked-subgroup', 16, 32]];
        for (const [variant, rows, cols] of want) {
          const p = planMatmul(variant as 'tiled', 'forward', [R, 2, C], 1, PLAIN, {});
          expect(dims(p.dims).slice(3, 5), `${variant} ${R}×${C}`).toEqual([ceil(C, cols), ceil(C, cols) * ceil(R, rows)]);
        }
      }
    }
  });
});

describe('planUpdate: update.wgsl covers every vec4 of each chunk (src/webgpu/update.ts)', () => {
  it('2304 bytes (144 vec4s) at 128 vec4s a workgroup is 2 workgroups; 2048 bytes is 1; 256 bytes is 1', () => {
    const device = deviceUpdateLimits(1 << 27);
    expect(planUpdate(2304, device)).toEqual([{ start: 0, size: 2304, count: 144, groups: { x: 2, y: 1 }, maxAbsGroups: 1 }]);
    expect(planUpdate(2048, device)[0]).toMatchObject({ count: 128, groups: { x: 1, y: 1 } });
    expect(planUpdate(256, device)[0]).toMatchObject({ count: 16, groups: { x: 1, y: 1 } });
    // 1 MiB: 65 536 vec4s, 512 workgroups; max_abs 4 vec4s an invocation at least: 65 536 / 256 = 256 workgroups.
    expect(planUpdate(1 << 20, device)[0]).toMatchObject({ count: 65_536, groups: { x: 512, y: 1 }, maxAbsGroups: 256 });
  });

  it('chunks of 2560 bytes over 6144, 2 workgroups a dimension: 160, 160 and 64 vec4s, 2, 2 and 1 workgroups', () => {
    const chunks = planUpdate(6144, { chunkBytes: 2560, groupsPerDimension: 2 });
    expect(chunks.map((c) => [c.start, c.size, c.count, c.groups.x, c.groups.y])).toEqual([[0, 2560, 160, 2, 1], [2560, 2560, 160, 2, 1], [5120, 1024, 64, 1, 1]]);
    // 40 960 bytes in one chunk: 2560 vec4s, 20 workgroups, folded at 5 a dimension into 5 × 4.
    expect(planUpdate(40_960, { chunkBytes: 40_960, groupsPerDimension: 5 })[0]?.groups).toEqual({ x: 5, y: 4 });
  });
});

describe('the fused kernel: which nets main_tiny takes, and its workgroup memory (src/webgpu/fused.ts)', () => {
  const layer = (units: number, fanIn: number) => ({ units, fanIn, activation: 'tanh' as const, bias: 'per-unit' as const });
  const net = (inputs: number, ...units: number[]): Net => ({
    inputs, layers: units.map((u, l) => layer(u, l === 0 ? inputs : units[l - 1]!)), loss: 'mse', reduction: 'mean',
  });

  it('main_tiny holds mat4x4f: inputs, every width and the batch at most 4, at most 4 layers', () => {
    expect(tinyFits(net(2, 2, 1), 4)).toBe(true);
    expect(tinyFits(net(4, 4, 4, 4, 4), 4)).toBe(true);
    expect(tinyFits(net(2, 2, 1), 5)).toBe(false);
    expect(tinyFits(net(5, 2, 1), 1)).toBe(false);
    expect(tinyFits(net(2, 5, 1), 1)).toBe(false);
    expect(tinyFits(net(2, 2, 5), 1)).toBe(false);
    expect(tinyFits(net(2, 2, 2, 2, 2, 1), 1)).toBe(false);
  });

  it('fusedCap: the floats acts and params need, rounded up to a power of two, at least 256', () => {
    // 2-2-1 at batch 4: acts X 8 + Y 4 + layer 1 Z, A, delta 3·8 + layer 2 3·4 + losses 4 + loss 1 = 53; params 6 + 3 = 9.
    expect(fusedCap(net(2, 2, 1), 4)).toBe(256);
    // 4-16-16-1 at batch 8: acts 32 + 8 + 3·128 + 3·128 + 3·8 + 8 + 1 = 841; params 80 + 272 + 17 = 369; 1210 → 2048.
    expect(fusedCap(net(4, 16, 16, 1), 8)).toBe(2048);
    // 16-16 at batch 5: acts 80 + 80 + 3·80 + 5 + 1 = 406; params 272: 678 → 1024 (past 512).
    expect(fusedCap(net(16, 16), 5)).toBe(1024);
  });
});
