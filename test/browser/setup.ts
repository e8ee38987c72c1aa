/**
 * Global setup for the browser project: one Vite server and one headless Chromium for every browser test file.
 * Test files connect with puppeteer.connect(wsEndpoint) (see ./lib.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { launchChromium } from '../../src/node/chromium.ts';
import { HARNESS_PATH, startServer } from '../../src/node/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    wsEndpoint: string;
    baseUrl: string;
    /** A folder for this run's shared build outputs (./site.ts), removed after the run. */
    scratchDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const served = await startServer();
  const browser = await launchChromium({ probeUrl: new URL(HARNESS_PATH, served.url).href });
  project.provide('wsEndpoint', browser.wsEndpoint());
  project.provide('baseUrl', served.url);
  const scratch = mkdtempSync(join(tmpdir(), 'backprop-browser-tests-'));
  project.provide('scratchDir', scratch);
  return async () => {
    await browser.close();
    await served.close();
    rmSync(scratch, { recursive: true, force: true });
  };
}
