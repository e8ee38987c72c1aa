/**
 * The bench page's pure parts in Node (bench/page/query.ts, bench/page/table.ts): which links it accepts (review
 * bench2 items 6, 7, 11d), what quick=1 ticks and the adapter it names (11), the config checkboxes' titles (11c) and the
 * browser it records (11a). The page itself
 * (the alert, the form keeping a bad link's valid parts, the SVG downloads) is test/browser/bench.test.ts's; the table
 * from Run on (its rows to come) test/bench-page-table.test.ts's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { pageTable, type TablePlan } from '../bench/page/table.ts';
import { unsupported } from '../bench/systems.ts';
import { ALL_CONFIGS, type BenchConfig, CONFIG_A, CONFIG_F, CONFIG_F_MATMUL, type FitConfig, isFitRow, QUICK_CONFIGS, QUICK_MATMUL, withEpochs } from '../bench/configs.ts';
import { summarize } from '../bench/measure.ts';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import { BenchLinkError, defaultConfigIds, formLink, formRun, inLinkOrder, parseQuery, queryOf, readQuery } from '../bench/page/query.ts';
import { writeOutputs } from '../bench/output.ts';
import { adapterNames, type BenchResult, describeConfigs, markdown, ttaSvg } from '../bench/report.ts';
import { envLine, type RunEnv } from '../bench/labels.ts';
import { svgChart } from '../bench/chart.ts';
import { taskYielder } from '../bench/page/yield.ts';
import { tick } from '../src/train/fit.ts';
import { browserOf, configTitle, doneLine, envBlock, pageCharts, pageFiles, runningResult, startLine, untickedUnavailable } from '../bench/page/table.ts';

const byId = (id: string) => ALL_CONFIGS.find((c) => c.id === id)!;

/** The errors of a link, as [parameter, message]. */
const problems = (search: string): [string, string][] => readQuery(search).errors.map((e) => [e.param, e.message]);

describe('the bench page\'s link: what it accepts (review bench2 item 6)', () => {
  it('every link README documents and the one npm run bench opens (driven=1) reads without an error', () => {
    const readme = readFileSync('README.md', 'utf8');
    const links = [...readme.matchAll(/bench\.html(\?[^`\s)]*)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const search of [...links, '?driven=1', '?jaxWorkers=2&tfjsThreads=2&oursWasmThreads=2']) expect(problems(search), search).toEqual([]);
    expect(parseQuery('?driven=1')).toEqual({ quick: false, autorun: false, driven: true });
  });

  it('a flag is 1 (on) or 0 (off); any other value is an error naming it, and the flag stays off', () => {
    expect(parseQuery('?quick=0&autorun=0&driven=0')).toEqual({ quick: false, autorun: false, driven: false });
    expect(parseQuery('?quick=1&autorun=1')).toMatchObject({ quick: true, autorun: true });
    for (const v of ['true', 'yes', 'on', '', '2', ' 1']) {
      const { query, errors } = readQuery(`?configs=a&quick=${encodeURIComponent(v)}&autorun=1`);
      expect(errors.map((e) => e.message), v).toEqual([`the link's quick: wants 1 (on) or 0 (off), got '${v}'`]);
      expect(query.quick, v).toBe(false);
    }
    expect(problems('?autorun=true')).toEqual([['autorun', "the link's autorun: wants 1 (on) or 0 (off), got 'true'"]]);
    expect(problems('?driven=yes')[0][0]).toBe('driven');
  });

  it('an unknown parameter name is an error naming it and what the page reads, with the likely name', () => {
    const err = (() => {
      try {
        parseQuery('?config=a&systems=ours-cpu&quick=1&autorun=1');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(BenchLinkError);
    expect((err as BenchLinkError).param).toBe('config');
    expect((err as BenchLinkError).message).toBe("the link's config: unknown parameter (did you mean configs?); the page reads configs, systems, quick, autorun, driven, jaxWorkers, tfjsThreads, oursWasmThreads, webgpuVariants, fits");
    expect(problems('?config=a&system=ours-cpu&Quick=1&autorun=1').map(([p, m]) => [p, /did you mean (\w+)\?/.exec(m)?.[1]])).toEqual([['config', 'configs'], ['system', 'systems'], ['Quick', 'quick']]);
    expect(problems('?utm_source=x')[0][1]).toMatch(/^the link's utm_source: unknown parameter; the page reads /);
    // The name is compared without case, whatever the case of its letters (review mut3 X3).
    expect(problems('?jaxworkers=2')[0][1]).toMatch(/did you mean jaxWorkers\?/);
  });

  it('a count is a positive integer written in digits: no 1e2, 0x2, 2.0, and no +2, which a link decodes as \' 2\' (review mut3 Q5)', () => {
    for (const v of ['1e2', '0x2', '2.0', '+2', '%202', '2%20']) {
      expect(problems(`?oursWasmThreads=${v}`), v).toEqual([['oursWasmThreads', `the link's oursWasmThreads: wants a positive integer, got '${decodeURIComponent(v.replace('+', ' '))}'`]]);
      expect(problems(`?jaxWorkers=${v}`), v).toEqual([['jaxWorkers', `the link's jaxWorkers: wants a non-negative integer, got '${decodeURIComponent(v.replace('+', ' '))}'`]]);
    }
    expect(parseQuery('?tfjsThreads=12')).toMatchObject({ tfjsThreads: 12 });
  });

  it('oursWasmThreads past the wasm backend\'s 64 threads (MAX_THREADS) starts nothing, as --ours-wasm-threads (it failed every ours-wasm row once the run was under way)', () => {
    expect(parseQuery('?oursWasmThreads=64')).toMatchObject({ oursWasmThreads: 64 });
    expect(problems('?oursWasmThreads=65')).toEqual([['oursWasmThreads', "the link's oursWasmThreads: wants at most 64 (ours-wasm's MAX_THREADS), got '65'"]]);
    expect(problems('?jaxWorkers=65')).toEqual([['jaxWorkers', "the link's jaxWorkers: wants at most 64 (as --jax-wasm-workers: jax-js would start every one), got '65'"]]);
    expect(problems('?jaxWorkers=64')).toEqual([]);
    expect(readQuery('?oursWasmThreads=65').query.oursWasmThreads).toBeUndefined();
  });

  it('fits=N is --fits: 1 to 20, only where an e or qe config runs; written back into the link (issue 43)', () => {
    expect(parseQuery('?configs=e&fits=3')).toMatchObject({ configs: ['e'], fits: 3 });
    expect(queryOf(parseQuery('?configs=qe-sgd&fits=3&autorun=1'))).toBe('?configs=qe-sgd&fits=3&autorun=1');
    // quick=1 without configs= runs the quick set, which has qe.
    expect(parseQuery('?quick=1&fits=2').fits).toBe(2);
    for (const v of ['0', '2.0', '+2', 'x']) {
      expect(problems(`?configs=e&fits=${v}`), v).toEqual([['fits', `the link's fits: wants a positive integer, got '${v.replace('+', ' ')}'`]]);
    }
    expect(problems('?configs=e&fits=21')).toEqual([['fits', "the link's fits: wants at most 20 (as --fits), got '21'"]]);
    // Said as the link asked for them (it read "configs= names no e or qe config", naming nothing).
    expect(problems('?configs=a,b&fits=2')).toEqual([['fits', "the link's fits: repeats config e's fits, but configs=a,b names no e or qe config, so it would do nothing"]]);
    expect(problems('?configs=zz,a&fits=2')[1]).toEqual(['fits', "the link's fits: repeats config e's fits, but configs=zz,a names no e or qe config, so it would do nothing"]);
    expect(problems('?fits=2')).toEqual([['fits', "the link's fits: repeats config e's fits, but the default configs (a, b-mse, b-ce) have none, so it would do nothing"]]);
    // configs= with no known name is its own error, said once: not "the default configs have none" (review43).
    expect(problems('?configs=zz&fits=2').map(([field]) => field)).toEqual(['configs']);
    // A run from the form keeps the link's fits only with an e or qe config ticked (else the link it writes is refused).
    const loaded = parseQuery('?configs=e&fits=3');
    expect(formLink('/p', { configs: ['e-sgd', 'a'], systems: ['ours-cpu'], quick: false }, loaded)).toBe('/p?configs=e-sgd,a&systems=ours-cpu&fits=3&autorun=1');
    expect(formLink('/p', { configs: ['a'], systems: ['ours-cpu'], quick: false }, loaded)).toBe('/p?configs=a&systems=ours-cpu&autorun=1');
  });

  it('a parameter given twice is an error (the second would be ignored)', () => {
    expect(problems('?configs=a&configs=b-mse&systems=ours-cpu')).toEqual([['configs', "the link's configs: given 2 times ('a', 'b-mse'); give it once"]]);
  });

  it('a config, system or kernel variant named twice is an error in the command line\'s words (the page merged it into one); an unknown name comes first', () => {
    expect(problems('?configs=a,q-mse,a&systems=ours-cpu')).toEqual([['configs', "the link's configs: 'a' given twice (each config runs once)"]]);
    expect(problems('?configs=a&systems=ours-cpu,tfjs-cpu, ours-cpu')).toEqual([['systems', "the link's systems: 'ours-cpu' given twice (a system is one row per config)"]]);
    // The same words as npm run bench's usage error, after the parameter's name (kernel variants too: the command line
    // said "each variant is one row").
    for (const [flag, k, list] of [['configs', 'configs', 'a,q-mse,a'], ['systems', 'systems', 'ours-cpu,tfjs-cpu,ours-cpu'], ['webgpu-variants', 'webgpuVariants', 'tiled,auto,tiled']]) {
      const cli = (() => {
        try {
          parseArgs([`--${flag}`, list], 'browser');
        } catch (e) {
          return (e as Error).message;
        }
        return null;
      })();
      expect(cli?.replace(`--${flag}: `, ''), k).toBe(problems(`?${k}=${list}`)[0][1].replace(`the link's ${k}: `, ''));
    }
    // The form keeps the list's items once; in every list an unknown name is reported before a repeated one, as on
    // the command line (test/bench-args.test.ts).
    expect(readQuery('?configs=a,q-mse,a').query.configs).toEqual(['a', 'q-mse']);
    for (const [k, list, what] of [['configs', 'a,zz,a', 'config'], ['systems', 'ours-cpu,zz,ours-cpu', 'system'], ['webgpuVariants', 'tiled,zz,tiled', 'variant']]) {
      expect(problems(`?${k}=${list}`), k).toEqual([[k, expect.stringMatching(new RegExp(`^the link's ${k}: unknown ${what} 'zz'; known: `))]]);
    }
    expect(problems('?configs=b,b-mse')).toEqual([]);
  });
});

describe('a bad link\'s valid parts (review bench2 item 7)', () => {
  it('readQuery keeps every valid parameter and a list\'s known items, and lists every problem in the link\'s order', () => {
    const { query, errors } = readQuery('?configs=a,zz&systems=ours-webgpu,tfjs-gpu&quick=1&jaxWorkers=-1&autorun=1&oursWasmThreads=2');
    expect(query).toEqual({ configs: ['a'], systems: ['ours-webgpu'], quick: true, autorun: true, driven: false, oursWasmThreads: 2 });
    expect(errors.map((e) => e.param)).toEqual(['configs', 'systems', 'jaxWorkers']);
    expect(errors[1].message).toMatch(/^the link's systems: unknown system 'tfjs-gpu'; known: ours-webgpu, /);
    // A list with no known item is left out (the form's default), an empty one kept (nothing ticked: "nothing to run").
    expect(readQuery('?configs=zz,yy&systems=').query).toEqual({ systems: [], quick: false, autorun: false, driven: false });
    expect(readQuery('?configs=zz,yy').errors[0].message).toMatch(/^the link's configs: unknown configs 'zz', 'yy'; known: a, b, b-mse/);
    // parseQuery throws the first.
    expect(() => parseQuery('?configs=a,zz&systems=bogus')).toThrow(/^the link's configs: /);
  });
});

describe('the run follows the link\'s order (review bench2 item 11d)', () => {
  it('inLinkOrder: the ticked ids the link named, in its order, then the others in the form\'s', () => {
    const form = ['ours-webgpu', 'ours-wasm', 'ours-cpu', 'tfjs-webgl', 'jax-wasm'];
    expect(inLinkOrder(form, ['jax-wasm', 'ours-cpu', 'ours-webgpu'])).toEqual(['jax-wasm', 'ours-cpu', 'ours-webgpu', 'ours-wasm', 'tfjs-webgl']);
    // Named but not ticked: left out; no link: the form's order.
    expect(inLinkOrder(['ours-cpu', 'tfjs-cpu'], ['scalar', 'tfjs-cpu'])).toEqual(['tfjs-cpu', 'ours-cpu']);
    expect(inLinkOrder(form, undefined)).toEqual(form);
    // The order is kept in the link a run records (queryOf).
    expect(queryOf({ systems: ['jax-wasm', 'ours-cpu'], quick: false, autorun: true, driven: false })).toBe('?systems=jax-wasm,ours-cpu&autorun=1');
  });
});

describe('what the page\'s quick=1 ticks and the adapter its environment names (review bench2 item 11)', () => {
  it('quick=1 without configs= ticks the configs npm run bench -- --quick runs (the reduced e and the bare matmul too)', () => {
    const cli = parseArgs(['--quick'], 'browser').configs.map((c) => c.id);
    expect(defaultConfigIds(true)).toEqual(cli);
    expect(cli).toEqual(['a', 'q-mse', 'q-ce', 'qe-sgd', 'qe-adam', 'q-matmul']);
    expect(defaultConfigIds(false)).toEqual(['a', 'b-mse', 'b-ce']);
  });

  it('the adapter\'s description, else its device name; vendor and architecture where Chromium gives neither (SwiftShader)', () => {
    const info = { vendor: 'nvidia', architecture: 'ampere', device: 'NVIDIA RTX A2000', description: '' };
    expect(adapterNames(info)).toEqual({ vendor: 'nvidia', architecture: 'ampere', device: 'NVIDIA RTX A2000', adapterDescription: 'NVIDIA RTX A2000' });
    expect(adapterNames({ ...info, description: 'NVIDIA RTX A2000 Laptop GPU' }).adapterDescription).toBe('NVIDIA RTX A2000 Laptop GPU');
    const line = (i: typeof info): string => envLine({ runner: 'browser', cpu: { model: 'x', cores: 2 }, webgpu: { available: true, ...adapterNames(i) } });
    expect(line(info)).toContain('WebGPU adapter nvidia ampere "NVIDIA RTX A2000"');
    expect(line(info)).not.toContain('hidden');
    // Chromium's adapter.info without --enable-webgpu-developer-features (measured, headless Chromium 156 on
    // SwiftShader): device and description both ''. The line says why the adapter has no name of its own.
    expect(line({ vendor: 'google', architecture: 'swiftshader', device: '', description: '' })).toContain('WebGPU adapter google swiftshader, its name hidden (Chromium shows it with --enable-webgpu-developer-features) ·');
  });
});

describe('the config checkboxes\' titles (review bench2 item 11c)', () => {
  it('say the net, loss, batch and what is compared, from the config', () => {
    expect(configTitle(CONFIG_A)).toBe("a: 2-2-1 (sigmoid hidden, sigmoid output), loss mse, batch 4, XOR's 4 examples, lr 0.5, losses compared after 10 steps");
    expect(configTitle(byId('b-ce'))).toBe('b-ce: 784-128-10 (relu hidden, softmax output), loss softmax-cross-entropy, batch 64, random inputs, lr 0.05, losses compared after 20 steps');
    expect(configTitle(byId('d-mse'))).toBe('d-mse: 1024-1024-1024 (relu hidden, identity output), loss mse, batch 1024, random inputs, lr 0.001, losses compared after 2 steps');
    expect(configTitle(byId('e-adam'))).toBe('e-adam: 784-128-10 (relu hidden, softmax output), loss softmax-cross-entropy, batch 128, Adam lr 0.001, 5 epochs on 8000 MNIST training digits, test accuracy on 2000, loss and accuracy compared at epoch 1');
    expect(configTitle(byId('e-sgd'))).toMatch(/, SGD lr 0\.1, 5 epochs on 8000 MNIST training digits, test accuracy on 2000, loss and accuracy compared at epochs 1–3$/);
    expect(configTitle(byId('qe-sgd'))).toMatch(/, SGD lr 0\.1, 2 epochs on 512 MNIST training digits, test accuracy on 256, loss and accuracy compared at epochs 1–2$/);
    expect(configTitle(withEpochs(byId('qe-sgd') as BenchConfig & { fit: FitConfig }, 1))).toMatch(/, 1 epoch on 512 MNIST training digits, test accuracy on 256, loss and accuracy compared at epoch 1$/);
    expect(configTitle(QUICK_MATMUL)).toBe('q-matmul: bare matmul (96×160)·(160×80), one product a step');
    // Every config has one, each its own.
    expect(new Set(ALL_CONFIGS.map(configTitle)).size).toBe(ALL_CONFIGS.length);
  });
});

describe('the browser the page records (review bench2 item 11a)', () => {
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
  it('Chromium\'s full version where the page can get it, else the user agent\'s', () => {
    expect(browserOf(ua, [{ brand: 'Not)A;Brand', version: '8.0.0.0' }, { brand: 'Chromium', version: '156.0.8078.114' }])).toBe('Chrome/156.0.8078.114');
    expect(browserOf(ua, [{ brand: 'Google Chrome', version: '156.0.8078.90' }])).toBe('Chrome/156.0.8078.90');
    expect(browserOf(ua)).toBe('Chrome/156.0.0.0');
    expect(browserOf('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', [{ brand: 'Chromium', version: '1.2.3.4' }])).toBe('Firefox/140.0');
    expect(browserOf('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15')).toBe('Safari/18.2');
  });
});

describe('what the page says in a browser without WebGPU or served without COOP/COEP (review benchpage35)', () => {
  // As the page's env records them (measured: headless Chromium 156 from python3 -m http.server, and launched without
  // --enable-unsafe-webgpu): the counts a link asked for and the ones the page got.
  const page: RunEnv = {
    runner: 'browser', browser: 'Chrome/156.0.8078.114', cpu: { model: 'unknown (a page cannot see it)', cores: 2 }, crossOriginIsolated: false,
    webgpu: { available: true, vendor: 'google', architecture: 'swiftshader', device: '', adapterDescription: '', isFallbackAdapter: true },
    tfjs: { version: '4.22.0', backends: {}, wasmThreads: 1, wasmThreadsRequested: 2 },
    jax: { version: '0.1.25', devices: ['cpu', 'wasm', 'webgpu'], wasmWorkers: 0 },
    wasm: { threads: 1, threadsRequested: 2, simd: 'relaxed', peakGflops: 23.4 },
  };
  const reason = 'WebGPU is unavailable: requestAdapter returned null: this browser offers no WebGPU adapter';

  it('not cross-origin isolated: each wasm system\'s count, and the link\'s count it did not get', () => {
    expect(envBlock(page, 2)).toContain(' · NOT cross-origin isolated, so no wasm threads: ours-wasm on 1 thread (not oursWasmThreads=2), TF.js wasm on 1 (not tfjsThreads=2), jax-js wasm on the main thread (not jaxWorkers=2) (npm run preview sends the COOP/COEP headers that allow them)');
    // Asked for nothing: only what it got.
    const plain = { ...page, tfjs: { version: '4.22.0', backends: {}, wasmThreads: 1 }, wasm: { threads: 1, simd: 'relaxed', peakGflops: 23.4 } };
    expect(envBlock(plain)).toContain('NOT cross-origin isolated, so no wasm threads: ours-wasm on 1 thread, TF.js wasm on 1, jax-js wasm on the main thread (npm');
    // One worker is "1 worker" (it read "1 workers"), as one thread is "1 thread".
    expect(envBlock({ ...plain, jax: { ...plain.jax!, wasmWorkers: 1 } })).toContain(', jax-js wasm on 1 worker (npm');
    expect(envBlock({ ...plain, jax: { ...plain.jax!, wasmWorkers: 2 } })).toContain(', jax-js wasm on 2 workers (npm');
    const isolated = envBlock({ ...page, crossOriginIsolated: true }, 2);
    expect(isolated).toMatch(/ · cross-origin isolated \(wasm threads possible\)$/);
    expect(isolated).not.toContain('(not ');
    // Isolated but no SharedArrayBuffer (WebKitGTK 2.50.6 serves the page isolated and offers none): not "wasm threads
    // possible", and not the headers, which were sent.
    const noSab = envBlock({ ...page, crossOriginIsolated: true }, 2, true, false);
    expect(noSab).toContain(' · cross-origin isolated, but the browser offers no SharedArrayBuffer here, so no wasm threads: ours-wasm on 1 thread (not oursWasmThreads=2), TF.js wasm on 1 (not tfjsThreads=2), jax-js wasm on the main thread (not jaxWorkers=2) (no header changes that)');
    expect(noSab).not.toMatch(/possible|NOT cross-origin|COOP/);
  });

  it('no WebGPU: why, and which systems cannot run, before anything is run', () => {
    const block = envBlock({ ...page, crossOriginIsolated: true, webgpu: { available: false, reason } });
    expect(block).toMatch(new RegExp(` · no WebGPU \\(${reason.replace(/[()]/g, '\\$&')}\\): ours-webgpu, tfjs-webgpu, jax-webgpu cannot run in this browser \\(the form leaves them unticked unless the link names them; the other systems run\\)$`));
    expect(block.split(' · no WebGPU').length).toBe(2); // said once (envLine's own 'no WebGPU' left out)
    // With an adapter the block names it, as envLine does, and says nothing of this.
    expect(envBlock({ ...page, crossOriginIsolated: true })).toContain('WebGPU adapter google swiftshader (fallback), its name hidden');
    expect(envBlock({ ...page, crossOriginIsolated: true })).not.toContain('no WebGPU');
  });

  it('no WebGPU: the form unticks the WebGPU systems it ticked by default, not those a link named', () => {
    expect(untickedUnavailable(undefined, false)).toEqual(['ours-webgpu', 'tfjs-webgpu', 'jax-webgpu']);
    expect(untickedUnavailable(undefined, true)).toEqual([]);
    expect(untickedUnavailable(['ours-webgpu', 'ours-cpu'], false)).toEqual([]); // the link asked: its row says why it failed
  });

  it('no WebAssembly (Chromium with --js-flags=--jitless): why, which systems cannot run, and the form unticks them', () => {
    const wasmError = 'WebAssembly SIMD is unavailable: this engine has no WebAssembly at all (WebAssembly is not defined: V8 without its JIT, --jitless, has none)';
    const block = envBlock({ ...page, crossOriginIsolated: true, wasm: { error: wasmError } }, undefined, false);
    expect(block).toMatch(/ · no WebAssembly \(WebAssembly is not defined: V8 without its JIT, --jitless, has none\): ours-wasm, tfjs-wasm, jax-wasm cannot run in this browser \(the form leaves them unticked unless the link names them; the other systems run\)$/);
    expect(block.split('WebAssembly is not defined').length).toBe(2); // said once (ours-wasm's own error left out)
    expect(block).toContain(' · cross-origin isolated · ');
    expect(block).not.toContain('wasm threads possible'); // none without WebAssembly
    expect(envBlock({ ...page, crossOriginIsolated: true })).toContain('cross-origin isolated (wasm threads possible)');
    expect(envBlock({ ...page, crossOriginIsolated: true })).not.toContain('no WebAssembly');
    expect(untickedUnavailable(undefined, true, false)).toEqual(['ours-wasm', 'tfjs-wasm', 'jax-wasm']);
    expect(untickedUnavailable(undefined, false, false)).toEqual(['ours-webgpu', 'tfjs-webgpu', 'jax-webgpu', 'ours-wasm', 'tfjs-wasm', 'jax-wasm']);
    expect(untickedUnavailable(['tfjs-wasm'], true, false)).toEqual([]); // the link asked: its row says why it failed
  });

  it('the status line names each system\'s error once, with its configs, not once a row', () => {
    // Three WebGPU systems erring on two configs beside ours-cpu, and jax-wasm off on q-mse; the failures as measure.ts words them.
    const configs = [CONFIG_A, QUICK_CONFIGS.find((c) => c.id === 'q-mse')!];
    const errs: Record<string, string> = { 'ours-webgpu': `WebGPUUnavailableError: ${reason}`, 'tfjs-webgpu': 'Error: TF.js could not initialise its webgpu backend' };
    const rows: Row[] = configs.flatMap((c) => [
      ...Object.entries(errs).map(([system, error]): Row => ({ system: system as Row['system'], config: c.id, status: 'error', agreeSteps: 10, error })),
      { system: 'ours-cpu', config: c.id, status: 'ok', agreeSteps: 10, finalLoss: 0.5 },
      { system: 'jax-wasm', threads: 1, config: c.id, status: 'ok', agreeSteps: 10, finalLoss: c.id === 'q-mse' ? 0.75 : 0.5 },
    ]);
    const { failures, failedRows } = summarize(rows, configs);
    expect(failures).toHaveLength(5);
    // Each failure carries its row (the JSON's `failedRows`, beside the text): doneLine groups from these, not from the text.
    expect(failedRows.map((f) => [f.config, f.system, f.threads, f.status])).toEqual([
      ['a', 'ours-webgpu', undefined, 'error'], ['a', 'tfjs-webgpu', undefined, 'error'], ['q-mse', 'ours-webgpu', undefined, 'error'], ['q-mse', 'tfjs-webgpu', undefined, 'error'], ['q-mse', 'jax-wasm', 1, 'wrong'],
    ]);
    const result = { ok: false, failures, failedRows, rows, seconds: 3 } as unknown as BenchResult;
    // A named error keeps its name; a plain Error's "Error: " is left out (review benchtidy47), in `failures` too.
    expect(doneLine(result)).toBe(`done: a, q-mse ours-webgpu: WebGPUUnavailableError: ${reason}; a, q-mse tfjs-webgpu: TF.js could not initialise its webgpu backend; ${failures[4]}`);
    expect(failures[1]).toBe('a tfjs-webgpu: TF.js could not initialise its webgpu backend');
    expect(failures[4]).toMatch(/^q-mse jax-wasm \(1 worker\): loss 0\.75 vs ours-cpu 0\.5 /);
    // Grouped by the rows `failedRows` names, whatever the text says (a wording of measure.ts's that doneLine cannot parse back).
    const reworded = { ...result, failures: failures.map((f, k) => `failure ${k + 1}: ${f}`) };
    expect(doneLine(reworded)).toBe(doneLine(result));
    // A result written before `failedRows` (an older JSON): its failures' texts as they are, one item each.
    expect(doneLine({ ...result, failedRows: undefined, failures: ['a x: y', 'b x: y'] })).toBe('done: a x: y; b x: y');
  });

  it('the chart drawn while the run goes on has the run\'s own environment under it, as the finished chart has', () => {
    const run = { mode: 'quick', command: 'bench.html?configs=a&systems=ours-cpu&quick=1&autorun=1', policy: QUICK_POLICY, configs: [CONFIG_A], systems: ['ours-cpu' as const] };
    const rows: Row[] = [{ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.5, stepsPerSec: 1e6 }];
    // The footer's lines (the chart wraps envLine at ' · ' and at spaces), joined without either.
    const footer = (svg: string): string => [...svg.matchAll(/<text x="\d+" y="[\d.]+" fill="#555">([^<]*)<\/text>/g)].map((m) => m[1]).join('').replace(/&quot;/g, '"').replace(/ · | /g, '');
    const env = { ...page, tfjs: { ...page.tfjs, webglRenderer: 'ANGLE (SwiftShader)', webglVendor: 'Google Inc. (Google)' } };
    const running = runningResult(run, rows, env, '2026-12-05T01:14:23.617Z');
    expect(footer(pageCharts(running))).toBe(envLine(env).replace(/ · | /g, ''));
    expect(footer(pageCharts(running))).toBe(footer(svgChart(running)));
    expect(running).toMatchObject({ mode: 'quick', command: run.command, systems: ['ours-cpu'], rows, ok: true, failures: [], targets: [] });
  });
});

describe('the page\'s downloads are the files npm run bench writes (review benchpolish35 item 2)', () => {
  const env: RunEnv = { runner: 'browser', browser: 'Chrome/156.0.8078.114', cpu: { model: 'unknown (a page cannot see it)', cores: 2 }, crossOriginIsolated: true };
  const epochs = [{ epoch: 1, at: 2, loss: 0.5, testAccuracy: 0.8 }, { epoch: 2, at: 3, loss: 0.4, testAccuracy: 0.9 }];
  const result = (ids: string[], rows: Row[]): BenchResult => ({
    tool: 'backprop-webgpu bench', version: 1, date: '2026-12-05T02:30:00.000Z', mode: 'custom', command: 'bench.html?autorun=1', env, policy: QUICK_POLICY,
    configs: describeConfigs(ids.map(byId)), systems: ['ours-cpu'], rows, targets: [], ok: true, failures: [], seconds: 7,
  });
  /** The files writeOutputs wrote as x.*, by the page's button for them (null: not written). */
  const written = (r: BenchResult): Record<string, string | null> => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-page-'));
    try {
      writeOutputs(r, dir, 'x', false);
      const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
      return { 'dl-json': read('x.json'), 'dl-md': read('x.md'), 'dl-svg': read('x.svg'), 'dl-tta': read('x-tta.svg') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const offered = (r: BenchResult) => Object.fromEntries(Object.entries(pageFiles(r)).map(([id, f]) => [id, f.text]));

  it('a run of config e alone: the steps/s chart too (npm run bench writes NAME.svg for every run), and the time-to-accuracy chart', () => {
    const e = result(['e-sgd'], [{ system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 1, finalLoss: 0.4, epochs, timeToAccuracy: 3 }]);
    const files = written(e);
    expect(files['dl-svg']).toMatch(/^<svg /);
    expect(files['dl-tta']).toMatch(/^<svg /);
    expect(offered(e)).toEqual(files);
    // Both come from one function (bench/output.ts outputTexts), so the equality guards only against a second copy:
    // each button's file is also checked to be its own content, by the builders named in README.
    expect(offered(e)).toEqual({ 'dl-json': `${JSON.stringify(e, null, 2)}\n`, 'dl-md': markdown(e), 'dl-svg': svgChart(e), 'dl-tta': ttaSvg(e) });
    expect(pageCharts(e)).not.toContain('steps/s per config'); // the page draws only the chart with something in it
    expect(Object.values(pageFiles(e)).map((f) => f.name)).toEqual(['.json', '.md', '.svg', '-tta.svg'].map((x) => `bench-2026-12-05T02-30-00-000Z${x}`));
  });

  it('a run without config e: no time-to-accuracy file, its button hidden (null)', () => {
    const a = result(['a'], [{ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.5, stepsPerSec: 1e5 }]);
    const files = written(a);
    expect(files['dl-tta']).toBeNull();
    expect(offered(a)).toEqual(files);
  });
});

describe('the status line when a run starts (review benchpolish35 item 3)', () => {
  it('says what starts, not the last run\'s "done …" line, in the run\'s order', () => {
    const last = doneLine({ ok: true, failures: [], rows: [{ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10 }], seconds: 12 } as unknown as BenchResult);
    expect(last).toBe('done in 12 s: 1 row ran and agreed');
    const next = startLine({ configs: [byId('b-mse'), CONFIG_A], systems: ['ours-webgpu', 'ours-cpu'] });
    expect(next).toBe('starting: b-mse, a on ours-webgpu, ours-cpu …');
    expect(startLine({ configs: [CONFIG_A], systems: ['ours-cpu', 'ours-webgpu'], webgpuVariants: ['tiled', 'auto'] })).toBe('starting: a on ours-cpu, ours-webgpu (tiled, auto) …');
  });
});

describe('the page\'s turn during a run (bench/page/yield.ts; a double click on Run started two runs)', () => {
  it('gives the page a task once 50 ms have passed since the last, none sooner', async () => {
    let t = 0;
    const tasks: number[] = [];
    const pause = taskYielder(50, () => t, async () => { tasks.push(t); });
    t = 49;
    await pause();
    expect(tasks).toEqual([]);
    t = 50;
    await pause();
    t = 99;
    await pause();
    t = 100;
    await pause();
    expect(tasks).toEqual([50, 100]);
  });

  it('its task (fit\'s tick) comes after the promises already queued (a microtask would let no click or frame in)', async () => {
    const order: string[] = [];
    const task = tick().then(() => order.push('task'));
    void Promise.resolve().then(() => order.push('micro')).then(() => order.push('micro 2'));
    await task;
    expect(order).toEqual(['micro', 'micro 2', 'task']);
  });
});

describe('a run from the page is the command line\'s run (review bench46 items 3 and 4)', () => {
  const pageRun = (link: string, configs: string[], quick: boolean) => formRun('http://h/bench.html', { configs, systems: ['ours-cpu'], variants: ['auto'], quick }, readQuery(link).query);
  const ids = (cs: readonly { id: string }[]): string[] => cs.map((c) => c.id);

  it('named as npm run bench names the same configs with or without --quick: custom, quick or full (`?configs=a&quick=1` was a quick run, `--configs a --quick` a custom one)', () => {
    const fullSet = ids(parseArgs([], 'browser').configs); // a–e, as `npm run bench` runs them
    const quickSet = ids(parseArgs(['--quick'], 'browser').configs);
    const cases: [string, string[], boolean, string[], string][] = [
      ['?configs=a&quick=1', ['a'], true, ['--configs', 'a', '--quick'], 'custom'],
      ['?quick=1', quickSet, true, ['--quick'], 'quick'],
      ['', fullSet, false, [], 'full'],
      // The page's own default ticks (a, b-mse, b-ce) are not npm run bench's default set.
      ['', ['a', 'b-mse', 'b-ce'], false, ['--configs', 'a,b-mse,b-ce'], 'custom'],
      // The quick set named config by config is the quick run, in any order, on both.
      ['?configs=qm,a,q,qe&quick=1', ['a', 'q-mse', 'q-ce', 'qe-sgd', 'qe-adam', 'q-matmul'], true, ['--configs', 'qm,a,q,qe', '--quick'], 'quick'],
      ['?configs=a,b,c,d,e', fullSet, false, ['--configs', 'a,b,c,d,e'], 'full'],
      ['?configs=a,b,c,d,e&quick=1', fullSet, true, ['--configs', 'a,b,c,d,e', '--quick'], 'custom'],
    ];
    for (const [link, ticked, quick, argv, name] of cases) {
      const cli = parseArgs(argv, 'browser');
      expect(ids(pageRun(link, ticked, quick).configs).sort(), link).toEqual(ids(cli.configs).sort());
      expect([pageRun(link, ticked, quick).mode, cli.mode], `${link} / ${argv.join(' ')}`).toEqual([name, name]);
    }
  });

  it('a driven page (driven=1, typed by hand) can be run: its Run sets the page up from the link\'s counts', () => {
    // The page's environment from the link's counts, as a page without driven=1 sets up at load (it was set up from none).
    expect(pageRun('?driven=1&oursWasmThreads=2&jaxWorkers=0&tfjsThreads=3', ['a'], true).env).toEqual({ oursWasmThreads: 2, jaxWasmWorkers: 0, tfjsWasmThreads: 3 });
    expect(pageRun('?driven=1', ['a'], true).env).toEqual({});
    // What the page shows while it waits, and after its driver's first request, is the built page's (test/browser/bench.test.ts).
  });
});

describe('the page\'s table as a first-time user reads it (review walkbench47)', () => {
  const ok = (system: Row['system'], config: string, finalLoss: number, stepsPerSec: number): Row => ({
    system, config, status: 'ok', agreeSteps: 10, finalLoss, stepsPerSec, msPerStep: { median: 1e3 / stepsPerSec, min: 1e3 / stepsPerSec, max: 1e3 / stepsPerSec },
  });
  const fitRow = (system: Row['system']): Row => ({ system, config: 'qe-sgd', status: 'ok', agreeSteps: 0, finalLoss: 2.1116, epochs: [{ epoch: 1, at: 0.5, loss: 2.1116, testAccuracy: 0.578 }], timeToAccuracy: null });
  const cell = (t: { head: string[]; body: string[][] }, k: number, h: string) => t.body[k][t.head.indexOf(h)];

  it('a run without config e has no e columns (three columns of dashes pushed the agreement off a laptop\'s width); one with e has them', () => {
    const rows = [ok('ours-cpu', 'a', 0.14199401438236237, 1.63e6), ok('jax-wasm', 'a', 0.14199402928352356, 989)];
    const steps = pageTable(rows);
    expect(steps.head).toEqual(['config', 'system', 'time/step (median)', 'steps/s', 'loss after N', 'agreement', 'vs jax-wasm']);
    for (const cells of steps.body) expect(cells).toHaveLength(steps.head.length);
    const both = pageTable([...rows, fitRow('ours-cpu')]);
    expect(both.head).toEqual(['config', 'system', 'time/step (median)', 'steps/s', 'loss after N (e: epoch 1)', 'test accuracy (e)', 'fit time (e)', 'time to goal (e)', 'agreement', 'vs jax-wasm']);
    expect(cell(both, 2, 'test accuracy (e)')).toBe('57.8% after 1 epoch');
    expect(cell(both, 2, 'time to goal (e)')).toBe('not reached');
    // The numbers' columns right-aligned, as the Markdown's (its `---:`): ms/step, steps/s, the loss and the ratios.
    expect(steps.head.filter((_, k) => steps.right[k])).toEqual(['time/step (median)', 'steps/s', 'loss after N', 'vs jax-wasm']);
    expect(both.head.filter((_, k) => both.right[k])).toEqual(['time/step (median)', 'steps/s', 'loss after N (e: epoch 1)', 'vs jax-wasm']);
    // Config e alone: no ms/step or steps/s (its rows have none), nor a `vs X` (steps/s over X's: test/bench-page-fit-ratios.test.ts).
    expect(pageTable([fitRow('ours-cpu'), fitRow('jax-wasm')]).head).toEqual(['config', 'system', 'loss after N (e: epoch 1)', 'test accuracy (e)', 'fit time (e)', 'time to goal (e)', 'agreement']);
  });

  it('a screen reader hears what the table is and, with each cell, its row\'s config and system: a caption, and those two columns row headers (the Markdown as it was)', () => {
    const rows = [ok('ours-cpu', 'a', 0.14199401438236237, 1.63e6), ok('jax-wasm', 'a', 0.14199402928352356, 989)];
    const plan: TablePlan = { configs: ['a', 'qe-sgd'].map((id) => ALL_CONFIGS.find((c) => c.id === id)!), systems: ['ours-cpu', 'jax-wasm'] };
    for (const t of [pageTable(rows), pageTable([...rows, fitRow('ours-cpu')]), pageTable(rows, { policy: QUICK_POLICY, plan })]) {
      expect(t.head.filter((_, k) => t.rowHeader[k])).toEqual(['config', 'system']);
      expect(t.rowHeader).toHaveLength(t.head.length);
      expect(t.caption).toMatch(/results.*config.*system/);
    }
    // The rows to come (the plan's qe-sgd) have them too: their config and system cells say what they will be.
    const coming = pageTable(rows, { policy: QUICK_POLICY, plan });
    expect(coming.body.slice(2).map((cells) => cells.filter((_, k) => coming.rowHeader[k]))).toEqual([['qe-sgd', 'ours-cpu'], ['qe-sgd', 'jax-wasm']]);
    // The downloaded Markdown has no caption and its plain cells: a table's first line is its head row.
    const md = markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY, configs: [], rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md).not.toContain(coming.caption);
    expect(md).toMatch(/\| a \| ours-cpu \|/);
  });

  it('the loss and steps/s read as the Markdown\'s do: 7 significant digits (float32\'s), 1.63M, not 0.14199401438236237 and 1.63e+6', () => {
    const rows = [ok('ours-cpu', 'a', 0.14199401438236237, 1.63e6), ok('jax-wasm', 'a', 0.14199402928352356, 989), ok('tfjs-wasm', 'a', 0.5, 101_700)];
    const t = pageTable(rows);
    expect(t.body.map((_, k) => [cell(t, k, 'loss after N'), cell(t, k, 'steps/s')])).toEqual([['0.1419940', '1.63M'], ['0.1419940', '989'], ['0.5000000', '101.7k']]);
    const md = markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY, configs: [], rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md).toMatch(/\| a \| ours-cpu \|.*\| 1\.63M \|.*\| 0\.1419940 \|/);
    expect(md).toMatch(/\| a \| tfjs-wasm \|.*\| 101\.7k \|.*\| 0\.5000000 \|/);
  });

  it('config f skipped on a software GPU names the command that runs it, and on the page says its form and links cannot (it named a flag the page has not)', () => {
    const skip = (c: typeof CONFIG_F, runner?: 'browser' | 'dawn') => unsupported('ours-webgpu', c, { fallback: true, allowFallback: false }, runner);
    expect(skip(CONFIG_F)).toBe('config f skipped on a software GPU (the fallback adapter or SwiftShader; npm run bench -- --configs f --gpu-sized-on-fallback runs it; the bench page\'s form and links cannot ask for it)');
    expect(skip(CONFIG_F_MATMUL, 'dawn')).toBe('config f skipped on a software GPU (the fallback adapter or SwiftShader; npm run bench:dawn -- --configs f-matmul --gpu-sized-on-fallback runs it)');
    // The command it names is one the runner takes.
    expect(parseArgs(['--configs', 'f-matmul', '--gpu-sized-on-fallback'], 'dawn').gpuSizedOnFallback).toBe(true);
  });
});

describe('what a walk of the bench page found (review benchtidy47)', () => {
  const md = (rows: Row[], configs = describeConfigs([...new Set(rows.map((r) => r.config))].map(byId))): string =>
    markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY, configs, rows, targets: [], ok: false, failures: [], seconds: 0 } as unknown as BenchResult);
  const cell = (t: { head: string[]; body: string[][] }, k: number, h: string) => t.body[k][t.head.indexOf(h)];

  it('an error row has one prefix: "error: jax-js could not start …", not "error: Error: …"; a named error keeps its name', () => {
    const err = (system: Row['system'], error: string): Row => ({ system, config: 'a', status: 'error', agreeSteps: 10, error });
    const rows = [
      err('jax-webgpu', 'Error: jax-js could not start its webgpu device (it has wasm)'),
      err('ours-webgpu', "LimitError: variant: 'subgroup' kernels need an adapter with the 'subgroups' feature; this one has none"),
      err('jax-wasm', 'fit 2 of 3: Error: boom'),
    ];
    const t = pageTable(rows);
    expect(rows.map((_, k) => cell(t, k, 'agreement'))).toEqual([
      'error: jax-js could not start its webgpu device (it has wasm)',
      "error: LimitError: variant: 'subgroup' kernels need an adapter with the 'subgroups' feature; this one has none",
      'error: fit 2 of 3: boom',
    ]);
    // The Markdown's rel. err column likewise (it read "ERROR Error: jax-js …").
    const text = md(rows);
    expect(text).toContain('| ERROR jax-js could not start its webgpu device (it has wasm) |');
    expect(text).toContain("| ERROR LimitError: variant: 'subgroup' kernels");
    expect(text).toContain('| ERROR fit 2 of 3: boom |');
    expect(text).not.toContain('Error: jax-js');
    // A plain Error without a message (namedMessageOf's "Error: ") still says it is one: the cell read "error: ".
    expect(cell(pageTable([err('tfjs-wasm', 'Error: ')]), 0, 'agreement')).toBe('error: Error');
    expect(cell(pageTable([err('jax-wasm', 'fit 1 of 3: Error: ')]), 0, 'agreement')).toBe('error: fit 1 of 3: Error');
    // A named one, its name alone: the cell read "error: OperationError: ", nothing after it.
    expect(cell(pageTable([err('ours-webgpu', 'OperationError: ')]), 0, 'agreement')).toBe('error: OperationError');
  });

  it('the environment line counts logical cores (navigator.hardwareConcurrency, os.cpus().length), not "× 2" (two CPUs?)', () => {
    expect(envLine({ runner: 'browser', browser: 'Chrome/156.0.8078.114', cpu: { model: 'unknown (a page cannot see it)', cores: 2 } }))
      .toBe('Chrome/156.0.8078.114 · CPU unknown (a page cannot see it), 2 logical cores');
    expect(envLine({ runner: 'node', node: 'v20.19.0', cpu: { model: 'AMD EPYC', cores: 1 } })).toBe('Node v20.19.0 · CPU AMD EPYC, 1 logical core');
  });

  it('a bare matmul is described as one (its shapes, C[0][0] and a readable rtol), and its value column says it holds C[0][0], on the page and in the Markdown', () => {
    // q-matmul: (96×160)·(160×80), 2·96·160·80 = 2 457 600 FLOP; rtol 2.5·K·2⁻²⁴ at K = 160 = 2.384…e-5, 2.4e-5 to two digits.
    const ok = (system: Row['system'], config: string, finalLoss: number): Row => ({ system, config, status: 'ok', agreeSteps: 1, finalLoss, stepsPerSec: 700 });
    const matmul = [ok('ours-webgpu', 'q-matmul', 43.198734), ok('jax-webgpu', 'q-matmul', 43.198730)];
    const text = md([...matmul, ok('ours-cpu', 'a', 0.125)]);
    expect(text).toContain('| q-matmul | bare matmul (96×160)·(160×80) | — | — | — | — | C[0][0]: rtol 2.4e-5 | 2.46M |');
    expect(text).not.toContain('0.0000238');
    expect(text).not.toContain('160 → 96');
    // A net's tolerance reads so too (config a: rtol 1e-4, atol 1e-7; it read "rtol 0.0001").
    expect(text).toContain('| rtol 1e-4 + atol 1e-7 |');
    expect(text).toContain('q-matmul: a bare matmul C = A·B');
    expect(text).toContain('| config | system | time/step median | min–max | steps/s | examples/s | GFLOP/s | GPU time/step | reps×steps | loss after N (bare matmul: C[0][0]) | rel. err |');
    // The page: the same head beside a net's rows, "C[0][0] (bare matmul)" alone, and the note.
    const mixed = pageTable([...matmul, ok('ours-cpu', 'a', 0.125)]);
    expect(cell(mixed, 0, 'loss after N (bare matmul: C[0][0])')).toBe('43.19873');
    expect(mixed.note).toContain('q-matmul: a bare matmul C = A·B');
    const alone = pageTable(matmul);
    expect(alone.head).toContain('C[0][0] (bare matmul)');
    expect(alone.right[alone.head.indexOf('C[0][0] (bare matmul)')]).toBe(true);
    expect(md(matmul)).toContain('| C[0][0] (bare matmul) | rel. err |');
    // A run without one: the plain head, no note.
    expect(pageTable([ok('ours-cpu', 'a', 0.125)]).head).toContain('loss after N');
    expect(md([ok('ours-cpu', 'a', 0.125)])).not.toContain('bare matmul');
  });
});

describe('the page\'s table through a run, and one rule for a fit\'s row (left alone in stop 47)', () => {
  const ok = (system: Row['system'], config: string, finalLoss: number, stepsPerSec: number): Row => ({
    system, config, status: 'ok', agreeSteps: 10, finalLoss, stepsPerSec, msPerStep: { median: 1e3 / stepsPerSec, min: 1e3 / stepsPerSec, max: 1e3 / stepsPerSec },
  });
  // A qe-sgd fit as its row reads while the run goes on (its epochs, no time to the goal yet: goals come at the end), and ended.
  const fitting = (system: Row['system']): Row => ({ system, config: 'qe-sgd', status: 'ok', agreeSteps: 0, finalLoss: 2.1116, epochs: [{ epoch: 1, at: 0.5, loss: 2.1116, testAccuracy: 0.578 }] });
  const fitted = (system: Row['system']): Row => ({ ...fitting(system), timeToAccuracy: null });
  const erred: Row = { system: 'jax-wasm', config: 'qe-sgd', status: 'error', agreeSteps: 0, error: 'Error: jax-js could not start' };
  const skipped: Row = { system: 'ours-webgpu', config: 'qe-sgd', status: 'skipped', agreeSteps: 0, error: 'no WebGPU in this browser' };
  const md = (rows: Row[]): string => markdown({ mode: 'custom', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
    configs: describeConfigs([...new Set(rows.map((r) => r.config))].map(byId)), rows, targets: [], ok: false, failures: [], seconds: 0 } as unknown as BenchResult);
  const ALL_HEAD = ['config', 'system', 'time/step (median)', 'steps/s', 'loss after N (e: epoch 1)', 'test accuracy (e)', 'fit time (e)', 'time to goal (e)', 'agreement', 'vs jax-wasm'];
  // e alone: no timed step's columns, and no `vs X` (a fit has no steps/s: test/bench-page-fit-ratios.test.ts).
  const E_HEAD = ['config', 'system', 'loss after N (e: epoch 1)', 'test accuracy (e)', 'fit time (e)', 'time to goal (e)', 'agreement'];
  // The run picked at Run: these configs on ours-cpu and jax-wasm.
  const ran = (...configs: string[]): TablePlan => ({ configs: configs.map(byId), systems: ['ours-cpu', 'jax-wasm'] });

  it('the columns come from the run\'s configs, known at Run: e\'s are there with a\'s first rows (they came with the first e row, and the table shifted), the timed step\'s with e\'s first; none of e\'s in a run without it', () => {
    const a = [ok('ours-cpu', 'a', 0.125, 1e5), ok('jax-wasm', 'a', 0.125, 989)];
    const e = [fitted('ours-cpu'), fitted('jax-wasm')];
    const ended = pageTable([...a, ...e], { policy: QUICK_POLICY, goals: {}, plan: ran('a', 'qe-sgd') });
    expect(ended.head).toEqual(ALL_HEAD);
    // a's rows first: e's columns already, a dash in each.
    const first = pageTable(a, { policy: QUICK_POLICY, plan: ran('a', 'qe-sgd') });
    expect(first.head).toEqual(ALL_HEAD);
    expect(first.body[0][first.head.indexOf('test accuracy (e)')]).toBe('—');
    // e first (its fits one by one), then a: ms/step and steps/s from the first fit on.
    expect(pageTable([fitting('ours-cpu'), fitting('jax-wasm')], { policy: QUICK_POLICY, plan: ran('qe-sgd', 'a') }).head).toEqual(ALL_HEAD);
    // e alone: no timed step's columns from first to last; a alone: no e columns.
    expect(pageTable([fitting('jax-wasm')], { policy: QUICK_POLICY, plan: ran('qe-sgd') }).head).toEqual(E_HEAD);
    expect(pageTable(a, { policy: QUICK_POLICY, plan: ran('a') }).head).toEqual(['config', 'system', 'time/step (median)', 'steps/s', 'loss after N', 'agreement', 'vs jax-wasm']);
    // The loss column's head says what the run's rows will hold before a bare matmul's row has come.
    expect(pageTable(a, { policy: QUICK_POLICY, plan: ran('a', 'q-matmul') }).head).toContain('loss after N (bare matmul: C[0][0])');
  });

  it('a fit\'s row is one whatever became of it (running, erred, skipped), for the Markdown and the page alike: an e run whose fits all failed shows e\'s columns, not a timed step\'s dashes', () => {
    expect([fitting('ours-cpu'), fitted('ours-cpu'), erred, skipped].map(isFitRow)).toEqual([true, true, true, true]);
    expect([ok('ours-cpu', 'a', 0.125, 1e5), { ...erred, config: 'a' }, { ...skipped, config: 'q-matmul' }].map(isFitRow)).toEqual([false, false, false]);
    // Only e rows, none fitted: e's columns on the page (it showed ms/step and steps/s, and no e column), e's timing line alone in the Markdown.
    expect(pageTable([erred, skipped]).head).toEqual(E_HEAD);
    expect(md([erred, skipped])).toContain('Timing: config e: one fit per system, the systems one after another.\n');
    // a's rows erred beside e's fit: both kinds of column, and both parts of the timing line.
    const mixed = [{ ...erred, config: 'a', agreeSteps: 10 }, fitted('ours-cpu')];
    expect(pageTable(mixed).head.slice(0, -1)).toEqual(ALL_HEAD.slice(0, -1));
    expect(md(mixed)).toMatch(/^Timing: .*; config e: one fit per system, the systems one after another\.$/m);
  });
});
