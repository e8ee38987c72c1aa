/**
 * The wasm backend's own count for the budget (src/budget.ts OwnMemory): what its memory grows to for a net, from the
 * net's layout (./program.ts layoutOf) with the backend's thread count, in whole 64 KiB pages. The portable host
 * count (src/budget.ts needs) does not bound it: the layout keeps per-example output statistics (32 bytes an example),
 * operands packed to its MR × NR tiles and a scratch per thread, none of them in that formula (a 1-1 net at 200 000
 * examples: 20 840 448 bytes of memory on 1 thread against a count of 12 000 048; bench/probes/wasm-host-budget.ts).
 * Pure arithmetic: nothing is placed or grown.
 */
import { type FitResident, type OwnMemory } from '../budget.ts';
import { REMAINDER_NETS } from '../backend.ts';
import { type Net, paramCount } from '../spec.ts';
import type { Tiling } from './gemm.ts';
import { PAGE, align16, layoutOf, layoutOn } from './program.ts';

/** The first byte a backend places a net at (WasmBackend.spot: the 16 below it are never used). */
const FIRST = 16;

/**
 * The bytes of wasm memory (whole pages, at least one) that a backend of `threads` threads (and `tiling`: its packs'
 * padding) holding nothing else grows
 * to for a net of n examples (WasmBackend.compile), or with `fit`, for fit's trainer at batches of n (./train.ts):
 * its net, the own blocks of its REMAINDER_NETS partial-batch nets (layoutOn), its data sets (each reserved X then Y,
 * example-major), the epoch's order and predict's identity (u32) and its optimiser slots, as reserve places them.
 */
export function wasmMemoryBytes(net: Net, n: number, threads: number, tiling: Tiling, fit?: FitResident): number {
  const main = layoutOf(net, n, FIRST, threads, tiling);
  let end = main.end;
  if (fit) {
    const outputs = net.layers[net.layers.length - 1].units;
    const P = paramCount(net);
    // A partial-batch net's own blocks (barrier words, zero bias, loss, optimiser block) are the same size at any n.
    const own = layoutOn(main, net, 1, 0, threads, tiling).end;
    const set = (m: number): number => align16(align16(4 * net.inputs * m) + 4 * outputs * m);
    end += REMAINDER_NETS * own + set(fit.nTrain) + set(fit.nVal) + align16(4 * fit.nTrain) + align16(4 * fit.nVal) + align16(4 * fit.slots * P);
  }
  return Math.max(1, Math.ceil(end / PAGE)) * PAGE;
}

/**
 * A wasm backend's OwnMemory: its thread count's and tiling's layouts. `which`, said after the thread count in its
 * name, where a reader must know which tiling was counted (bench/configs.ts wasmCount: a refusal names its tiling).
 */
export function wasmMemory(threads: number, tiling: Tiling, which?: string): OwnMemory {
  return {
    name: `wasm memory (${threads} thread${threads === 1 ? '' : 's'}${which ? `, ${which}` : ''}: its layout, whole 64 KiB pages)`,
    memoryBytes: (net, n, fit) => wasmMemoryBytes(net, n, threads, tiling, fit),
  };
}
