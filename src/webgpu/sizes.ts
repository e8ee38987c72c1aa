/** Sizes and byte views shared by the WebGPU files (one definition each). */

/**
 * 256 bytes: one uniform slot (a block bound at a dynamic or fixed offset: minUniformBufferOffsetAlignment) and the
 * alignment of every W_l, b_l and optimiser chunk in params (minStorageBufferOffsetAlignment); 256 is the most
 * WebGPU lets either be, so it fits every device.
 */
export const ALIGN = 256;

/**
 * Steps per command buffer on the per-kernel path, and batches per command buffer of the fit trainer: the most
 * (WebGpuBackend.stepsPerSubmission may be lowered, never raised past it: src/budget.ts counts the trainer's per-step
 * uniform slots with it). NOTE: a command buffer holds every dispatch encoded into it —
 * config b's step is 9 dispatches, plus the loss and max |θ| once a call (11 in the one-step profile of
 * bench/results/full-run.md, whose heading counts each twice) — so train({steps: 2²⁰}) in one would hold 9.4 million;
 * 4 096 steps is about 37 000. The runs the bench times on b–d are far fewer steps a call: one submission, as before.
 */
export const STEPS_PER_SUBMISSION = 4096;

/** The per-step uniform slots a fit trainer holds at least (./train.ts ensureSlots; src/budget.ts fitTrainerNeeds). */
export const MIN_SLOTS = 16;

/** The least power of two ≥ x (1 for x ≤ 1): workgroup sizes. */
export const pow2ceil = (x: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

/** A typed array as writeBuffer's type wants it (writeBuffer accepts views of shared memory too). */
export const bytesOf = <T extends ArrayBufferView>(a: T): T & ArrayBufferView<ArrayBuffer> => a as T & ArrayBufferView<ArrayBuffer>;
