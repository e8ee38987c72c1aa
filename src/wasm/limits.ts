/**
 * The most threads a wasm backend may be asked for: each is a worker with its own instance of every net's module,
 * and past the machine's cores more threads only wait at the barriers. Its own module so that the options' checks
 * (src/backends.ts) need not load the wasm backend.
 */
export const MAX_THREADS = 64;
