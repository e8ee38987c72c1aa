/**
 * The same bits in every engine: a published seed or a lab Share link opened in Chromium (V8), Firefox (SpiderMonkey)
 * or WebKit (JavaScriptCore) gives Node's numbers. test/lib/cross-engine-jobs.ts's testReport — seeded init by every
 * scheme, every lab data set as float32 (what a model takes), fits on cpu and on plain-SIMD wasm with SGD and Adam,
 * every lecture's grad and explain text — run in each engine's page, each job's hash against the same job's in this
 * Node process (another engine, not a stored constant); and the data sets' doubles within 2⁻⁵¹ of Node's, the bound
 * README ("Checkpoints") states: the engines' Math.cos/sin/log differ from Node's in the last bit of a few per cent
 * of the outputs (bench/probes/cross-engine-bits.ts measures which, how often), which float32 rounding hides.
 * Firefox and WebKit are skipped where they are missing (firefoxSkipReason, webkitSkipReason); CI's REQUIRE_FIREFOX /
 * REQUIRE_WEBKIT make that a failure.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { firefoxSkipReason, launchFirefox } from './firefox.ts';
import { HARNESS_PATH } from '../../src/node/server.ts';
import { type JobResult, testReport } from '../lib/cross-engine-jobs.ts';
import { harnessPage } from './lib.ts';
import { launchWebKit, type WebKitSession, webkitSkipReason } from './webkit.ts';

type Report = Awaited<ReturnType<typeof testReport>>;

/** The page's call: the jobs module from the Vite dev server, its testReport as JSON (WebDriver and BiDi alike carry a string). */
const CALL = `import('/test/lib/cross-engine-jobs.ts').then((m) => m.testReport()).then((r) => JSON.stringify(r), (e) => 'ERROR ' + String((e && e.stack) || e))`;

const parse = (text: string): Report => {
  if (text.startsWith('ERROR')) throw new Error(`the page's jobs failed: ${text}`);
  return JSON.parse(text) as Report;
};

/** |Δ| ≤ 2⁻⁵¹ per coordinate: 2 ulps of a coordinate in [1, 2) (measured: 2.2e-16 = 2⁻⁵² at most, seeds 1, 7, 42). */
const DATA_BOUND = 2 ** -51;

let node: Report;
beforeAll(async () => {
  node = await testReport();
});

function checkAgainstNode(engine: string, got: () => Report): void {
  it(`${engine}: every job's bits are Node's (init, data as float32, cpu and wasm-simd fits, lectures, explain)`, () => {
    const hashes = (r: Report) => Object.fromEntries(r.jobs.map((j: JobResult) => [j.name, `${j.hash} (${j.count})`]));
    expect(node.jobs.length).toBeGreaterThan(50);
    expect(hashes(got())).toEqual(hashes(node));
  });

  it(`${engine}: the data sets' doubles within 2⁻⁵¹ of Node's`, () => {
    const off: string[] = [];
    for (const [kind, ref] of Object.entries(node.data)) {
      const mine = got().data[kind];
      expect(mine?.length, kind).toBe(ref.length);
      ref.forEach((v, i) => {
        if (!(Math.abs(mine[i] - v) <= DATA_BOUND)) off.push(`${kind}[${i}]: ${mine[i]} against ${v}`);
      });
    }
    expect(off).toEqual([]);
  });
}

describe('Chromium (V8)', () => {
  let report: Report | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    page = await harnessPage();
    report = parse(String(await page.evaluate(CALL)));
  });
  afterAll(async () => {
    await page?.close();
  });
  checkAgainstNode('Chromium', () => report!);
});

const noFirefox = firefoxSkipReason();
if (noFirefox) console.log(`cross-engine-bits: Firefox skipped: ${noFirefox}`);
describe.skipIf(noFirefox !== undefined)('Firefox (SpiderMonkey)', () => {
  let report: Report | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchFirefox();
    const page = await browser.newPage();
    await page.goto(new URL(HARNESS_PATH, inject('baseUrl')).href);
    report = parse(String(await page.evaluate(CALL)));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
  });
  checkAgainstNode('Firefox', () => report!);
});

const noWebKit = webkitSkipReason();
if (noWebKit) console.log(`cross-engine-bits: WebKit skipped: ${noWebKit}`);
describe.skipIf(noWebKit !== undefined)('WebKit (JavaScriptCore)', () => {
  let report: Report | undefined;
  let wk: WebKitSession | undefined;
  beforeAll(async () => {
    wk = await launchWebKit();
    await wk.navigate(new URL(HARNESS_PATH, inject('baseUrl')).href);
    report = parse(await wk.executeAsync<string>(`const done = arguments[arguments.length - 1]; ${CALL}.then(done);`));
  }, 90_000);
  afterAll(async () => {
    await wk?.close();
  });
  checkAgainstNode('WebKit', () => report!);
});
