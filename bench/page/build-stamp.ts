/**
 * The page's build stamp (bench/page-build.ts): Vite's `define` replaces `__BENCH_PAGE_BUILD__` with it when it builds
 * or serves the page; undefined where nothing replaced it (the page's modules loaded in Node by a test).
 */
import type { PageBuild } from '../page-build.ts';

declare const __BENCH_PAGE_BUILD__: PageBuild | undefined;

export const PAGE_BUILD: PageBuild | undefined = typeof __BENCH_PAGE_BUILD__ === 'undefined' ? undefined : __BENCH_PAGE_BUILD__;
