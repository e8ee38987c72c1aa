import { defineConfig } from 'vitest/config';

// One config for the dev server that serves the browser harness (src/browser/) and for vitest.
// Tests: `node` runs the CPU oracle in Node; `browser` drives Debian's Chromium (WebGPU on SwiftShader
// when there is no GPU) through puppeteer-core against a Vite server on http://127.0.0.1.
export default defineConfig({
  server: { host: '127.0.0.1' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/setup.ts'],
          // One Chromium shared by every browser test file; files run one after another.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
