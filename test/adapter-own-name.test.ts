/**
 * src/webgpu/software-adapter.ts adapterOwnName, the order mut64's mutants found unpinned (reviews/mut64.md): vendor
 * and architecture, else the adapter's own description, else its device, else ''. GPUAdapterInfo (WebGPU spec
 * §"GPUAdapterInfo") has the four fields; a browser may fill any of them or none.
 */
import { describe, expect, it } from 'vitest';
import { adapterOwnName } from '../src/webgpu/software-adapter.ts';

describe('adapterOwnName', () => {
  it('no vendor or architecture: the own description before the device', () => {
    expect(adapterOwnName({ vendor: '', architecture: '', device: 'Intel(R) Arc(TM) A770' }, 'Intel Arc A770 Graphics (DG2)')).toBe('Intel Arc A770 Graphics (DG2)');
  });

  it('no vendor, architecture or description: the device', () => {
    expect(adapterOwnName({ vendor: '', architecture: '', device: 'Intel(R) Arc(TM) A770' }, '')).toBe('Intel(R) Arc(TM) A770');
    expect(adapterOwnName({ device: 'llvmpipe (LLVM 19.1.7, 256 bits)' }, undefined)).toBe('llvmpipe (LLVM 19.1.7, 256 bits)');
  });

  it('one of vendor and architecture: that one alone, no stray space', () => {
    expect(adapterOwnName({ vendor: '', architecture: 'rdna-3', device: 'x' }, 'y')).toBe('rdna-3');
    expect(adapterOwnName({ vendor: 'apple', architecture: '' }, 'y')).toBe('apple');
  });
});
