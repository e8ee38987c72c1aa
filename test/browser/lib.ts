/** Helpers for browser tests: a harness page in the shared Chromium, and typed calls into window.bp. */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { PlainError, Result } from '../../src/browser/harness.ts';
import { openHarness } from '../../src/node/session.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import type { ModelLike } from '../lib/claims.ts';

let browser: Browser | undefined;

export async function harnessPage(consoleErrors: string[] = []): Promise<Page> {
  browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  return openHarness(browser, inject('baseUrl'), consoleErrors);
}

/** One harness page for a test file: opened before its tests (handed to `use`), closed after them. */
export function useHarnessPage(consoleErrors: string[], use: (page: Page) => void): void {
  let page: Page | undefined;
  beforeAll(async () => {
    page = await harnessPage(consoleErrors);
    use(page);
  });
  afterAll(async () => {
    await page?.close();
  });
}

export class PageError extends Error {
  readonly plain: PlainError;
  constructor(plain: PlainError) {
    super(`${plain.name}${plain.code ? ` [${plain.code}]` : ''}: ${plain.message}`);
    this.plain = plain;
  }
}

/** Unwrap a harness Result, throwing the page's error (with its code and field) on failure. */
export function unwrap<T>(r: Result<T>): T {
  if ('error' in r) throw new PageError(r.error);
  return r.ok;
}

/**
 * In the page: every array of more than 64 numbers, or of any numbers one of which is NaN or ±Infinity, becomes
 * {f64: base64 of its float64 bytes}, and a lone NaN or ±Infinity {nonFinite: its String}; `unpack` in Node
 * restores them. Exact (a double per number, NaN and ±Infinity kept, where JSON would make them null — and
 * |null − x| is |x|, so a NaN where the CPU has 0 would pass a bound), and far cheaper to carry over the DevTools
 * protocol than a JSON array: the parity nets' Z, A and delta at batch 1024 took ~4 s per call as nested JSON arrays
 * on SwiftShader's loaded 2-core machine.
 */
const PACK_SOURCE = `(function pack(v) {
  if (typeof v === 'number' && !Number.isFinite(v)) return { nonFinite: String(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === 'number') && (v.length > 64 || !v.every(Number.isFinite))) {
      const b = new Uint8Array(Float64Array.from(v).buffer);
      let s = '';
      for (let k = 0; k < b.length; k += 0x8000) s += String.fromCharCode(...b.subarray(k, k + 0x8000));
      return { f64: btoa(s) };
    }
    return v.map(pack);
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pack(x)]));
  return v;
})`;

function unpack(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unpack);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'nonFinite' && typeof (v as { nonFinite: unknown }).nonFinite === 'string') return Number((v as { nonFinite: string }).nonFinite);
    if (keys.length === 1 && keys[0] === 'f64' && typeof (v as { f64: unknown }).f64 === 'string') {
      const bytes = Buffer.from((v as { f64: string }).f64, 'base64');
      return Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8));
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unpack(x)]));
  }
  return v;
}

/**
 * For test/lib/claims.ts's collectRuns: a ModelLike whose every call runs a fresh `backend` model in the page
 * `page()` gives (window.bp shares one WebGPU device and one wasm backend), checking the backend that ran.
 */
export function pageModel(page: () => Page, backend: 'webgpu' | 'wasm'): (spec: NetworkSpec) => Promise<ModelLike> {
  return (spec) => Promise.resolve({
    grad: async (x?: number[][], y?: number[][]) => {
      const s = x && y ? { ...spec, x, y } : spec;
      const r = unwrap(await page().evaluate((p, b) => window.bp.grad(p, b), s, backend));
      expect(r.backend).toBe(backend);
      return r;
    },
    step: async (lr?: number) => unwrap(await page().evaluate((p, b, rate) => window.bp.step(p, b, rate), spec, backend, lr)),
    dispose: () => {},
  });
}

type Bp = Window['bp'];
type BpMethod = { [K in keyof Bp]: Bp[K] extends (...a: never[]) => unknown ? K : never }[keyof Bp];

/** window.bp[method](...args) in the page, its (large) result carried packed (see PACK_SOURCE). */
export function bpCall<K extends BpMethod>(page: Page, method: K, ...args: Parameters<Bp[K]>): Promise<Awaited<ReturnType<Bp[K]>>> {
  const call = (m: string, a: unknown[]): unknown => (window.bp[m as BpMethod] as unknown as (...x: unknown[]) => unknown)(...a);
  return evaluatePacked(page, call, method, args as unknown[]) as Promise<Awaited<ReturnType<Bp[K]>>>;
}

/** In the page: the result of `fn(...args)`, packed as bpCall's (run `fn` there, as page.evaluate would). */
export async function evaluatePacked<A extends unknown[], R>(page: Page, fn: (...args: A) => Promise<R> | R, ...args: A): Promise<R> {
  const packed = await page.evaluate(async (src, body, a) => {
    const g = globalThis as unknown as { bpPack?: (v: unknown) => unknown };
    g.bpPack ??= new Function(`return ${src}`)() as (v: unknown) => unknown;
    const f = new Function(`return ${body}`)() as (...x: unknown[]) => unknown;
    return g.bpPack(await f(...(a as unknown[])));
  }, PACK_SOURCE, fn.toString(), args as unknown[]);
  return unpack(packed) as R;
}
