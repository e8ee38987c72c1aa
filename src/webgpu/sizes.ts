/** Sizes and byte views shared by the WebGPU files (one definition each). */

/**
 * 256 bytes: one uniform slot (a block bound at a dynamic or fixed offset: minUniformBufferOffsetAlignment) and the
 * alignment of every W_l, b_l and optimiser chunk in params (minStorageBufferOffsetAlignment); 256 is the most
 * WebGPU lets either be, so it fits every device.
 */
export const ALIGN = 256;

/** The least power of two ≥ x (1 for x ≤ 1): workgroup sizes. */
export const pow2ceil = (x: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

/** A typed array as writeBuffer's type wants it (writeBuffer accepts views of shared memory too). */
export const bytesOf = <T extends ArrayBufferView>(a: T): T & ArrayBufferView<ArrayBuffer> => a as T & ArrayBufferView<ArrayBuffer>;
