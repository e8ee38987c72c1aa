/**
 * The bench runners' command lines (npm run bench, bench:node, bench:dawn): a bad option is a usage error naming it,
 * before anything runs, rather than a silent default, a run of nothing, a duplicated row or a crash after the run
 * (review rv-bench). No engine runs here: parseArgs and readDawnCommand only read and check.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLine, HelpRequested, parseArgs, type Runner, usage, USAGE } from '../bench/bench.ts';
import { readDawnCommand } from '../bench/dawn.ts';
import { readQuery } from '../bench/page/query.ts';
import { checkBudget, DEFAULT_BUDGET, type OwnMemory } from '../src/budget.ts';
import { Model } from '../src/model.ts';
import { wasmMemory } from '../src/wasm/budget.ts';
import { RELAXED_TILING, TILING } from '../src/wasm/gemm.ts';
import type { LimitError } from '../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench options: bad values are usage errors naming the option', () => {
  it('an empty name, path or list is refused (it fell back to every system, ran no config, or crashed writing to "")', () => {
    // --systems '' ran every system; --configs ',' ran nothing and exited 0; --out '' failed in mkdir after the run.
    expect(() => parseArgs(['--systems', ''], 'browser')).toThrow("--systems needs a value, got ''");
    expect(() => parseArgs(['--configs=', '--systems', 'ours-cpu'], 'node')).toThrow("--configs needs a value, got ''");
    expect(() => parseArgs(['--configs', ' , '], 'node')).toThrow("--configs names no config (got ' , ')");
    expect(() => parseArgs(['--quick', '--systems', ','], 'node')).toThrow("--systems names no system (got ',')");
    for (const k of ['--out', '--name', '--spec', '--layers']) expect(() => parseArgs(['--quick', k, ''], 'node'), k).toThrow(`${k} needs a value, got ''`);
  });

  it('an empty item is left out of every list, variants too, as the page leaves it out of configs= and systems=; a list of none is refused', () => {
    // --webgpu-variants auto, said "unknown variant ''" (and the page's webgpuVariants=auto, too), where --configs a, ran a.
    expect(parseArgs(['--configs', 'a,', '--systems', 'ours-webgpu,'], 'browser').systems).toEqual(['ours-webgpu']);
    expect(parseArgs(['--configs', 'a', '--webgpu-variants', 'auto,'], 'browser').webgpuVariants).toEqual(['auto']);
    expect(parseArgs(['--configs', 'a', '--webgpu-variants', ' tiled , ,auto'], 'browser').webgpuVariants).toEqual(['tiled', 'auto']);
    expect(readQuery('?configs=a,&systems=ours-webgpu,&webgpuVariants=auto,')).toEqual({ errors: [], query: expect.objectContaining({ configs: ['a'], systems: ['ours-webgpu'], webgpuVariants: ['auto'] }) });
    // None at all is named for the option, as --configs , is.
    expect(() => parseArgs(['--webgpu-variants', ''], 'browser')).toThrow("--webgpu-variants needs a value, got ''");
    expect(() => parseArgs(['--webgpu-variants', ' , '], 'browser')).toThrow("--webgpu-variants names no variant (got ' , ')");
    for (const v of ['', ',']) {
      const { query, errors } = readQuery(`?webgpuVariants=${v}`);
      expect(errors.map((e) => [e.param, e.message]), v).toEqual([['webgpuVariants', `the link's webgpuVariants: names no variant (got '${v}')`]]);
      expect(query.webgpuVariants, v).toBeUndefined();
    }
  });

  it('an option followed by another option has no value: refused naming both, not the next option taken as its value', () => {
    // --name --quick named the files '--quick.*' and ran the full set; --out --quick wrote into a folder '--quick'.
    for (const k of ['--name', '--out', '--configs', '--spec']) {
      expect(() => parseArgs([k, '--quick'], 'browser'), k).toThrow(`${k} needs a value, but the next argument is the option --quick: give ${k} its value first (or ${k}=VALUE)\nusage: npm run bench`);
    }
    // An option that takes a count or a number says which (src/node/flags.ts takesText), as the developer tools' do.
    expect(() => parseArgs(['--reps', '--quick'], 'browser')).toThrow('--reps needs a value (a positive integer), but the next argument is the option --quick: give --reps its value first (or --reps=VALUE)\nusage: npm run bench');
    expect(parseArgs(['--configs', 'a', '--name=--odd'], 'node').name).toBe('--odd'); // given inline, it is the value
    // The Dawn runner's own options likewise: --dawn-flag --quick gave Dawn the flag '--quick' and dropped --quick.
    expect(() => readDawnCommand(['--dawn-flag', '--quick'])).toThrow(/^--dawn-flag needs a value, but the next argument is the option --quick/);
    expect(() => readDawnCommand(['--vulkan-icd', '--quick'])).toThrow(/^--vulkan-icd needs a value, but the next argument is the option --quick/);
  });

  it('the recorded command reruns the same arguments: one a shell would split or change is quoted (it was joined with spaces)', () => {
    const args = ['--configs', 'a,b-mse', '--spec', 'my net.json', '--name', "it's", '--out', '/tmp/r $HOME', '--layers', ' 784,10', '--lr=0.5'];
    const command = commandLine('bench', args);
    expect(command.startsWith("npm run bench -- --configs a,b-mse --spec 'my net.json' --name ")).toBe(true);
    // What a POSIX shell makes of the recorded arguments: each one back, as given.
    const back = spawnSync('sh', ['-c', `printf '%s\\n' ${command.slice('npm run bench -- '.length)}`], { encoding: 'utf8' });
    expect(back.stdout.split('\n').slice(0, -1)).toEqual(args);
    expect(commandLine('bench', [])).toBe('npm run bench');
  });

  it('--ours-wasm-threads past the wasm backend\'s 64 threads (MAX_THREADS) is refused before the run (every ours-wasm row erred after the page loaded)', () => {
    expect(parseArgs(['--ours-wasm-threads', '1,64'], 'browser').wasmPasses).toEqual([{ jaxWasmWorkers: 1, oursWasmThreads: 64 }]);
    expect(() => parseArgs(['--ours-wasm-threads', '2,65'], 'browser')).toThrow("--ours-wasm-threads: 65 threads is more than ours-wasm takes (at most 64: src/wasm/limits.ts MAX_THREADS), got '2,65'");
  });

  it('--jax-wasm-workers past 64 is refused before the run (jax-js would start every worker asked: 100000 was taken)', () => {
    expect(parseArgs(['--jax-wasm-workers', '0,64'], 'browser').wasmPasses).toEqual([{ jaxWasmWorkers: 64, oursWasmThreads: 1 }]);
    expect(() => parseArgs(['--jax-wasm-workers', '100000'], 'browser')).toThrow("--jax-wasm-workers: 100000 workers is more than the bench runs (at most 64, ours-wasm's bound: jax-js would start every one), got '100000'");
    expect(() => parseArgs(['--jax-wasm-workers', '1,65'], 'browser')).toThrow(/^--jax-wasm-workers: 65 workers/);
  });

  it('--layers with a width that is not one quotes the value as given (it said got 784,NaN,10 and 784,0,10)', () => {
    for (const v of ['784,abc,10', '784,,10', '784,128,10,', '784', '784,-3,10', '784,2.5,10']) {
      expect(() => parseArgs(['--layers', v], 'node'), v).toThrow(`--layers wants at least two positive integers (inputs first), got '${v}'`);
    }
    expect(parseArgs(['--layers', ' 784, 128 ,10'], 'node').configs[0].layers.map((l) => l.units)).toEqual([128, 10]);
  });

  it('a system or config named twice is refused (two ours-cpu rows, each its own "ref")', () => {
    expect(() => parseArgs(['--quick', '--systems', 'ours-cpu,tfjs-cpu,ours-cpu'], 'node')).toThrow("--systems: 'ours-cpu' given twice");
    expect(() => parseArgs(['--configs', 'a,q-mse,a'], 'node')).toThrow("--configs: 'a' given twice");
    // A letter and one of its configs are two names (b = b-mse and b-ce): b-mse runs once.
    expect(parseArgs(['--configs', 'b,b-mse'], 'node').configs.map((c) => c.id)).toEqual(['b-mse', 'b-ce']);
  });

  it('in every list an unknown name is reported before one named twice, as the page reads its link (test/bench-page.test.ts)', () => {
    // --configs a,zz,a and --systems said "'a' given twice", where the page and --webgpu-variants named 'zz'.
    expect(() => parseArgs(['--configs', 'a,zz,a'], 'node')).toThrow(/^--configs: unknown config 'zz'; known: /);
    expect(() => parseArgs(['--quick', '--systems', 'ours-cpu,zz,ours-cpu'], 'node')).toThrow(/^--systems: unknown system 'zz'; known: .*\(the node runner's\)$/);
    expect(() => parseArgs(['--webgpu-variants', 'tiled,zz,tiled'], 'browser')).toThrow(/^--webgpu-variants: unknown variant 'zz'; known: /);
  });

  it('an option given twice is refused, not the last one kept; a switch given a value too (--quick=0 turned it on)', () => {
    expect(() => parseArgs(['--configs', 'a', '--configs', 'q-mse'], 'node')).toThrow(/^--configs is given twice; give it once/);
    expect(() => parseArgs(['--quick', '--reps', '3', '--reps', '4'], 'node')).toThrow(/^--reps is given twice/);
    expect(() => parseArgs(['--quick=0'], 'node')).toThrow("--quick is a switch and takes no value (got '--quick=0')");
    expect(() => parseArgs(['--quick', '--no-inspect=false'], 'node')).toThrow(/^--no-inspect is a switch/);
    // Two switches that contradict each other are refused too, naming both (the last one given won, --no-inspect here).
    for (const argv of [['--inspect', '--no-inspect'], ['--no-inspect', '--quick', '--inspect']]) {
      expect(() => parseArgs(argv, 'node'), argv.join(' ')).toThrow(/^--inspect and --no-inspect contradict each other: give one/);
    }
    // --inspect without --quick would do nothing: a run without --quick profiles already.
    expect(() => parseArgs(['--inspect'], 'node')).toThrow('--inspect applies with --quick only: a run without --quick profiles already (--no-inspect skips it)');
    expect(() => parseArgs(['--configs', 'b-mse', '--inspect'], 'dawn')).toThrow(/^--inspect applies with --quick only/);
    expect(parseArgs(['--quick', '--inspect'], 'node').policy.inspect).toBe(true);
    // A value with '=' in it is kept whole (split('=', 2) cut it at the second '=').
    expect(parseArgs(['--quick', '--name=run=2'], 'node').name).toBe('run=2');
    expect(parseArgs(['--quick', `--out=${join(dir, 'a=b')}`], 'node').out).toBe(join(dir, 'a=b'));
  });

  it('unknown configs and systems name the option and every unknown name, as the page names a link\'s (one wording)', () => {
    expect(() => parseArgs(['--configs', 'a,zz'], 'browser')).toThrow(/^--configs: unknown config 'zz'; known: a, b,/);
    expect(() => parseArgs(['--systems', 'ours-gpu'], 'browser')).toThrow(/^--systems: unknown system 'ours-gpu'; known: ours-webgpu, .*\(the browser runner's\)$/);
    // The command line named the first unknown only ('zz'), where the page's link names all of them.
    expect(() => parseArgs(['--configs', 'zz,a,yy'], 'node')).toThrow(/^--configs: unknown configs 'zz', 'yy'; known: a, b,/);
    expect(() => parseArgs(['--quick', '--systems', 'bogus,ours-cpu,jax-wams'], 'node')).toThrow(/^--systems: unknown systems 'bogus', 'jax-wams'; known: /);
    expect(readQuery('?configs=zz,a,yy').errors[0].message).toMatch(/^the link's configs: unknown configs 'zz', 'yy'; known: a, b,/);
  });

  it("--spec given a checkpoint: named as one, with the bench's hint (a spec JSON), not the CLI's train --resume", async () => {
    // A checkpoint as Model.save (train --save) writes one.
    const ckpt = join(dir, 'run.safetensors');
    const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'he', seed: 1 } }, { backend: 'cpu' });
    writeFileSync(ckpt, await model.save());
    model.dispose();
    // It said "…, not a spec file; the commands read a spec file; train --resume FILE continues the checkpoint's run, …".
    expect(() => parseArgs(['--spec', ckpt], 'node')).toThrow(new Error(`--spec ${ckpt}: not valid JSON: a safetensors checkpoint (as train --save writes), not a spec file; --spec takes a spec JSON (README: The network spec)`));
  });

  it('--spec: an unreadable file, bad JSON or a bad spec names the option and the file', () => {
    const missing = join(dir, 'missing.json');
    // The CLI's words for a spec file (src/cli/io.ts readJsonFile), under the flag and the file, named once.
    expect(() => parseArgs(['--spec', missing], 'node')).toThrow(`--spec ${missing}: no such file`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"inputs": 2,');
    expect(() => parseArgs(['--spec', bad], 'node')).toThrow(`--spec ${bad}: not valid JSON at the end of the file: `);
    // A file over the default budget's 256 MiB a spec file (README, Resource budget) is refused, as the CLI refuses one,
    // after 256 MiB + 1 bytes at most (a sparse file: no disk used), not read whole and handed to JSON.parse.
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 256 * 2 ** 20 + 1);
    expect(() => parseArgs(['--spec', big], 'browser')).toThrow(`--spec ${big}: the file is larger than the budget's fileBytes, 256 MiB (2.684e+8 bytes) (the default budget, which the benchmark reads spec files under: give a smaller file)`);
    rmSync(big);
    const unknownKey = join(dir, 'unknown-key.json');
    writeFileSync(unknownKey, JSON.stringify({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', version: 1 }));
    expect(() => parseArgs(['--spec', unknownKey], 'node')).toThrow(new RegExp(`^--spec ${unknownKey}: version: unknown key`));
    // A spec whose params do not fit its net is refused by specConfig (materialize), after the file was read.
    const badParams = join(dir, 'bad-params.json');
    writeFileSync(badParams, JSON.stringify({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', params: { W1: [[1, 2, 3]], b1: [0] } }));
    expect(() => parseArgs(['--spec', badParams], 'node')).toThrow(new RegExp(`^--spec ${badParams}: `));
  });

  it('your own net past the engine\'s resource budget is refused before anything starts, in the engine\'s words under the flag, exit 2 (review bench46 item 1: it failed row by row inside the page)', () => {
    // The engine's own words for the same net and batch (src/budget.ts checkBudget's LimitError), less the library's knobs.
    const engine = (inputs: number, widths: number[], n: number, device = false, own?: OwnMemory): string => {
      const net = { inputs, layers: widths.map((units, l) => ({ units, fanIn: l ? widths[l - 1] : inputs, activation: 'identity' as const, bias: 'per-unit' as const })), loss: 'mse' as const, reduction: 'mean' as const };
      try {
        checkBudget(net, n, { device, budget: DEFAULT_BUDGET, own });
      } catch (err) {
        return (err as LimitError).message.replace(/^[^:]+: /, '').replace(/ \(setBudget\(.*BACKPROP_MAX_\w+\)$/, '');
      }
      throw new Error('under the budget');
    };
    const refused = (argv: string[], runner: Runner): string => {
      try {
        parseArgs(argv, runner);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    const fix = ' (the default budget, which ours run under in the benchmark: give a smaller net or a smaller --batch)';
    // The batch X (64 × 10⁸ values) outweighs the parameters: the batch is the lever, as the engine says with its x.
    for (const runner of ['browser', 'node', 'dawn'] as const) {
      expect(refused(['--layers', '100000000,10'], runner), runner).toBe(`--layers 100000000,10: --batch 64: ${engine(1e8, [10], 64)}${fix}`);
    }
    // The parameters outweigh the batch: the width that sets the largest layer, by its place in --layers.
    expect(refused(['--layers', '784,100000,100000,10', '--loss', 'ce'], 'browser')).toBe(`--layers 784,100000,100000,10: layers[1].units (width 3, 100000): ${engine(784, [100000, 100000, 10], 64)}${fix}`);
    expect(refused(['--layers', '784,10', '--batch', '100000000'], 'node')).toMatch(/^--layers 784,10: --batch 100000000: this net needs 1\.46 TiB .* of host memory \(7850 parameters, 100000000 examples × 10 units\), over the host budget of 2\.00 GiB/);
    // A spec file: before its weights and batch are made (materialize's He init of 10¹⁰ weights), the engine's field.
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, JSON.stringify({ inputs: 1e5, layers: [{ units: 1e5, activation: 'identity' }], loss: 'mse' }));
    expect(refused(['--spec', huge], 'browser')).toBe(`--spec ${huge}: layers[0].units: ${engine(1e5, [1e5], 64)}${fix}`);
    // Under the budget: runs as before.
    expect(parseArgs(['--layers', '784,256,10'], 'browser').configs.map((c) => c.id)).toEqual(['user-mse', 'user-ce']);
    // ours-wasm's own count (review bench47 item 4): a narrow net at a large batch is under the portable count
    // (1.12 GiB at 20 000 000 examples) but over the wasm backend's, from its layout (Chromium's relaxed-SIMD 6 × 2
    // tiling here), which the page's ours-wasm rows refused one by one; refused before Chromium when ours-wasm runs.
    // The refusal names the tiling whose count refused: the page's tiling is not known before Chromium starts.
    const relaxed = (threads: number): OwnMemory => ({ ...wasmMemory(threads, RELAXED_TILING), name: `wasm memory (${threads} thread${threads === 1 ? '' : 's'}, 6 × 2 blocks, the tiling with relaxed SIMD: its layout, whole 64 KiB pages)` });
    const narrow = ['--layers', '1,1', '--loss', 'mse', '--batch', '20000000'];
    expect(refused(narrow, 'browser')).toBe(`--layers 1,1: --batch 20000000: ${engine(1, [1], 2e7, false, relaxed(1))}${fix}`);
    expect(parseArgs([...narrow, '--systems', 'ours-cpu,ours-webgpu'], 'browser').configs.map((c) => c.id)).toEqual(['user-mse']);
    // At each page load's thread count: 15 000 000 examples fit ours-wasm's memory on 1 thread, not on 2.
    const fifteen = ['--layers', '1,1', '--loss', 'mse', '--batch', '15000000'];
    expect(parseArgs([...fifteen, '--ours-wasm-threads', '1'], 'browser').configs.map((c) => c.id)).toEqual(['user-mse']);
    expect(refused([...fifteen, '--ours-wasm-threads', '1,2'], 'browser')).toBe(`--layers 1,1: --batch 15000000: ${engine(1, [1], 15e6, false, relaxed(2))}${fix}`);
    // A 5-5 net at 7 200 000 examples fits the 6 × 2 tiling's memory but not the 4 × 2 one's (a width of 5 pads to 8
    // rows of 4, to 6 of 6): the refusal says it is the tiling without relaxed SIMD (it said neither).
    const fiveFive = ['--layers', '5,5', '--loss', 'mse', '--batch', '7200000'];
    const plain: OwnMemory = { ...wasmMemory(1, TILING), name: 'wasm memory (1 thread, 4 × 2 blocks, the tiling without relaxed SIMD: its layout, whole 64 KiB pages)' };
    // One wording, the wasm backend's (src/wasm/budget.ts wasmMemory), the tiling said after its threads (bench/configs.ts wasmCount wrote it again).
    expect([wasmMemory(2, TILING).name, wasmMemory(1, TILING, 'the tiling').name]).toEqual(['wasm memory (2 threads: its layout, whole 64 KiB pages)', 'wasm memory (1 thread, the tiling: its layout, whole 64 KiB pages)']);
    expect(() => engine(5, [5], 72e5, false, relaxed(1))).toThrow('under the budget');
    expect(refused(fiveFive, 'browser')).toBe(`--layers 5,5: --batch 7200000: ${engine(5, [5], 72e5, false, plain)}${fix}`);
    // A spec file the same way, under its flag.
    const one = join(dir, 'one-one.json');
    writeFileSync(one, JSON.stringify({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' }));
    expect(refused(['--spec', one, '--batch', '20000000'], 'browser')).toBe(`--spec ${one}: --batch 20000000: ${engine(1, [1], 2e7, false, relaxed(1))}${fix}`);
    // The runner's answer: the message on stderr and exit 2, as its other flag errors, before Chromium starts.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--layers', '100000000,10'], { cwd: process.cwd(), encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `--layers 100000000,10: --batch 64: ${engine(1e8, [10], 64)}${fix}\n`]);
  });

  it('--name is a file name and --out a folder: refused before the run, not when the results are written', () => {
    expect(() => parseArgs(['--quick', '--name', '../x'], 'node')).toThrow("--name is the results' file name (NAME.json, NAME.md, …), got '../x': give the folder with --out");
    expect(() => parseArgs(['--quick', '--name', 'a\\b'], 'node')).toThrow(/^--name is the results' file name/);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => parseArgs(['--quick', '--out', file], 'node')).toThrow(`--out ${file} is a file, not a folder`);
    // A file on the path: mkdir would fail with ENOTDIR after the run.
    expect(() => parseArgs(['--quick', '--out', join(file, 'sub')], 'node')).toThrow(`--out ${join(file, 'sub')}: ${file} is a file, so the folder cannot be made there`);
    // A new folder is accepted and not made before the run (nothing is left behind by a run refused later).
    expect(parseArgs(['--quick', '--out', join(dir, 'new-folder', 'deeper')], 'node').out).toBe(join(dir, 'new-folder', 'deeper'));
    expect(existsSync(join(dir, 'new-folder'))).toBe(false);
    // A symbolic link to nothing, as --out or on its path: mkdir -p failed on it (ENOENT) after the run.
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), dangling);
    for (const out of [dangling, join(dangling, 'sub')]) {
      expect(() => parseArgs(['--quick', '--out', out], 'node'), out).toThrow(`--out ${out}: ${dangling} is a symbolic link to nothing (${join(dir, 'nowhere')}), so the folder cannot be made there`);
    }
    // A folder where the run's own file goes (the node runner's --quick writes node-quick.json, .md, .svg): writeFileSync
    // failed with EISDIR after the run. Another run's name there is no obstacle.
    const taken = join(dir, 'taken');
    mkdirSync(join(taken, 'node-quick.svg'), { recursive: true });
    expect(() => parseArgs(['--quick', '--out', taken], 'node')).toThrow(`--out ${taken}: ${join(taken, 'node-quick.svg')} is a folder (or not a file), so this run's node-quick.svg could not be written after the run`);
    expect(parseArgs(['--quick', '--out', taken, '--name', 'other'], 'node').name).toBe('other');
  });

  // root may write in any folder (the run would too), so as root the check runs in a child process that loads
  // bench.ts as root and then becomes user nobody: started as nobody, it could not read a checkout nobody may not
  // enter (a clone under /root or in a mktemp -d folder, 0700), and failed there with "Cannot find package 'tsx'".
  it('--out in a folder this process may not write in: refused before the run, nothing made', () => {
    const ro = join(dir, 'read-only');
    mkdirSync(ro, { mode: 0o555 });
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep nobody out of it altogether
    // And a folder it may write in, holding an earlier run's node-quick.md it may not replace.
    const roFile = join(dir, 'read-only-file');
    mkdirSync(roFile);
    chmodSync(roFile, 0o777);
    writeFileSync(join(roFile, 'node-quick.md'), 'an earlier run');
    chmodSync(join(roFile, 'node-quick.md'), 0o444);
    const outs = [ro, join(ro, 'a', 'b'), roFile];
    let messages: (string | null)[];
    if (process.getuid?.() === 0) {
      const nobody = 65534;
      const script = `import('./bench/bench.ts').then(({ parseArgs }) => {
        process.setgroups([]); process.setgid(${nobody}); process.setuid(${nobody});
        console.log(JSON.stringify(${JSON.stringify(outs)}.map((o) => {
          try { parseArgs(['--quick', '--out', o], 'node'); return null; } catch (e) { return e.message; }
        })));
      })`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      messages = JSON.parse(r.stdout) as (string | null)[];
    } else {
      messages = outs.map((o) => {
        try {
          parseArgs(['--quick', '--out', o], 'node');
          return null;
        } catch (e) {
          return (e as Error).message;
        }
      });
    }
    try {
      expect(messages).toEqual([
        `--out ${ro}: the folder is not writable here, so the results could not be written after the run`,
        `--out ${join(ro, 'a', 'b')}: ${ro}, where the folder would be made, is not writable here, so the results could not be written after the run`,
        `--out ${roFile}: ${join(roFile, 'node-quick.md')} is not writable here, so this run's node-quick.md could not replace it after the run`,
      ]);
      expect(readFileSync(join(roFile, 'node-quick.md'), 'utf8')).toBe('an earlier run');
      expect(readdirSync(ro)).toEqual([]);
    } finally {
      chmodSync(ro, 0o755);
    }
  });
});

describe('bench options that would do nothing are refused, naming the option', () => {
  it('a config none of the selected systems runs (a run of skips, exit 0)', () => {
    expect(() => parseArgs(['--configs', 'q-matmul'], 'node')).toThrow(/^--configs: q-matmul runs on none of the node runner's systems \(ours-cpu, tfjs-wasm, tfjs-cpu, scalar\): the bare matmul row is for GPU systems \(the node runner has none\)$/);
    expect(() => parseArgs(['--configs', 'q-matmul', '--systems', 'ours-cpu'], 'dawn')).toThrow(/^--configs: q-matmul runs on none of --systems \(ours-cpu\): the bare matmul row is for GPU systems \(ours-webgpu\)$/);
    expect(() => parseArgs(['--configs', 'a,f', '--systems', 'ours-cpu,jax-wasm'], 'browser')).toThrow(/^--configs: f runs on none of --systems \(ours-cpu, jax-wasm\): config f is for GPU systems/);
    expect(() => parseArgs(['--configs', 'e-sgd', '--systems', 'tfjs-cpu'], 'browser')).toThrow(/^--configs: e-sgd runs on none of --systems \(tfjs-cpu\)/);
    expect(() => parseArgs(['--configs', 'b-mse', '--systems', 'scalar'], 'node')).toThrow(/^--configs: b-mse runs on none of --systems \(scalar\): .*small configs only/);
    // One system that runs it is enough; config f on a fallback adapter stays a skip at run time (the adapter is not known here).
    expect(parseArgs(['--configs', 'a,f', '--systems', 'ours-cpu,ours-webgpu'], 'browser').configs.map((c) => c.id)).toEqual(['a', 'f', 'f-matmul']);
    expect(parseArgs(['--configs', 'a', '--systems', 'scalar'], 'node').systems).toEqual(['scalar']);
    // Configs named only: the default sets keep their skips for the systems left out (--quick's q-matmul on ours-cpu).
    expect(parseArgs(['--quick', '--systems', 'ours-cpu'], 'browser').configs.map((c) => c.id)).toContain('q-matmul');
    expect(() => parseArgs(['--layers', '784,128,10', '--systems', 'scalar'], 'node')).toThrow(/^--layers: user-mse runs on none of --systems \(scalar\)/);
  });

  it('--reps, --rep-steps, --target-ms, --budget-s with config e alone (its fits, no timed repetitions)', () => {
    for (const [k, v] of [['--reps', '3'], ['--rep-steps', '4'], ['--target-ms', '50'], ['--budget-s', '5']]) {
      expect(() => parseArgs(['--configs', 'e', k, v], 'browser'), k).toThrow(new RegExp(`^${k} sets the timed repetitions of configs a–d, f and your own; config e has none \\(--fits repeats its fits\\)`));
      expect(parseArgs(['--configs', 'a,e', k, v], 'browser').configs.length, k).toBe(3);
    }
  });

  it('--fits: config e\'s fits a system, 1 to 20, only with an e or qe config (issue 43)', () => {
    // The default and --fits 1 leave the policy as it was (no `fits` in the results: published runs mean what they meant).
    expect(parseArgs(['--configs', 'e'], 'browser').policy.fits).toBeUndefined();
    expect(parseArgs(['--configs', 'e', '--fits', '1'], 'browser').policy).toEqual(parseArgs(['--configs', 'e'], 'browser').policy);
    expect(parseArgs(['--configs', 'qe-sgd', '--fits', '3'], 'browser').policy.fits).toBe(3);
    expect(parseArgs(['--configs', 'a,e-adam', '--fits=2'], 'browser').policy).toMatchObject({ fits: 2, reps: 5 });
    expect(parseArgs(['--quick', '--fits', '20'], 'browser').policy.fits).toBe(20);
    // Digits only, as the page's fits= and the CLI's counts (Number() read 1e1 as 10, 0x2 as 2).
    for (const v of ['0', '-1', '2.5', 'x', '1e1', '0x2', ' 2', '+2']) {
      expect(() => parseArgs(['--configs', 'e', '--fits', v], 'browser'), v).toThrow(`--fits wants a positive integer, got '${v}'`);
    }
    for (const v of ['0x2', '1e0,2', '2,+1']) {
      expect(() => parseArgs(['--quick', '--ours-wasm-threads', v], 'browser'), v).toThrow(`--ours-wasm-threads wants a positive integer or a list (1,2), got '${v}'`);
    }
    expect(() => parseArgs(['--configs', 'e', '--fits', '21'], 'browser')).toThrow(/^--fits wants at most 20 .*, got 21$/);
    // No e or qe config: it would do nothing (the Node and Dawn runners' default sets have none).
    for (const [args, runner] of [[['--configs', 'a,b'], 'browser'], [['--quick', '--configs', 'q'], 'browser'], [[], 'node'], [['--quick'], 'dawn']] as const) {
      expect(() => parseArgs([...args, '--fits', '2'], runner), `${args.join(' ')} ${runner}`).toThrow(/^--fits repeats config e's fits \(e, qe-sgd, qe-adam\), but no selected config has them: it would do nothing$/);
    }
    expect(() => parseArgs(['--configs', 'e', '--fits', '2', '--fits', '3'], 'browser')).toThrow(/^--fits is given twice/);
    expect(USAGE).toContain("--fits N                config e's fits a system (default 1; 1 to 20;");
  });

  it('--gpu-sized-on-fallback without config f', () => {
    expect(() => parseArgs(['--configs', 'a,b', '--gpu-sized-on-fallback'], 'browser')).toThrow(/^--gpu-sized-on-fallback runs config f on a fallback adapter, but no selected config is f or f-matmul/);
    expect(parseArgs(['--configs', 'f-matmul', '--gpu-sized-on-fallback'], 'browser').gpuSizedOnFallback).toBe(true);
  });

  it('a wasm count without its system, and a page load that repeats an earlier one', () => {
    for (const [k, system] of [['--tfjs-wasm-threads', 'tfjs-wasm'], ['--jax-wasm-workers', 'jax-wasm'], ['--ours-wasm-threads', 'ours-wasm']]) {
      expect(() => parseArgs(['--quick', '--systems', 'ours-cpu,ours-webgpu', k, '2'], 'browser'), k).toThrow(`${k} sets ${system}'s count, but ${system} is not among --systems: it would do nothing`);
      expect(() => parseArgs(['--quick', '--systems', `ours-cpu,${system}`, k, '2'], 'browser'), k).not.toThrow();
    }
    expect(() => parseArgs(['--quick', '--ours-wasm-threads', '1,1'], 'browser')).toThrow('--ours-wasm-threads / --jax-wasm-workers: page load 2 repeats an earlier one (ours-wasm 1, jax-wasm 1)');
    expect(() => parseArgs(['--quick', '--ours-wasm-threads', '1,2,1', '--jax-wasm-workers', '1,2,1'], 'browser')).toThrow(/page load 3 repeats an earlier one \(ours-wasm 1, jax-wasm 1\)/);
    // The published wasm-vs-tfjs run: ours-wasm at 1 and 2 against one jax-wasm count, two different page loads.
    expect(parseArgs(['--quick', '--ours-wasm-threads', '1,2'], 'browser').wasmPasses).toEqual([{ jaxWasmWorkers: 1, oursWasmThreads: 2 }]);
  });
});

describe('--help and a usage error show the usage of the runner that was run', () => {
  it('its first line names that runner (npm run bench:node -- --help printed the browser runner\'s)', () => {
    const help = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(HelpRequested);
        return (err as Error).message;
      }
      throw new Error('no HelpRequested');
    };
    const first: Record<Runner, RegExp> = { browser: /^usage: npm run bench -- \[options\] /, node: /^usage: npm run bench:node -- \[options\] /, dawn: /^usage: npm run bench:dawn -- \[options\] / };
    for (const runner of ['browser', 'node', 'dawn'] as const) expect(help(() => parseArgs(['--help'], runner)), runner).toMatch(first[runner]);
    // The Dawn runner's usage has its own options too, and so has its help through readDawnCommand.
    expect(help(() => readDawnCommand(['--help']))).toMatch(/^usage: npm run bench:dawn -- \[options\] [^\n]*\n\n {2}--vulkan-icd /);
    expect(() => parseArgs(['--frobnicate'], 'node')).toThrow(/^unknown option --frobnicate\nusage: npm run bench:node -- /);
    // One reader with the developer tools (src/node/flags.ts): a near miss gets a guess, as theirs did and these did not.
    expect(() => parseArgs(['--config', 'a'], 'node')).toThrow(/^unknown option --config; did you mean --configs\?\nusage: npm run bench:node -- /);
    expect(() => parseArgs(['--quick', '--no-inspeck'], 'node')).toThrow(/^unknown option --no-inspeck; did you mean --no-inspect\?\n/);
    // A number in decimal only, as a count (Number() read 0x10 as 16, ' 5' as 5); twice names the list only for a list.
    for (const v of ['0x10', ' 5', '0b11']) expect(() => parseArgs(['--quick', '--target-ms', v], 'node'), v).toThrow(`--target-ms wants a positive number, got '${v}'`);
    expect(parseArgs(['--quick', '--target-ms', '2.5e1'], 'node').policy.targetRepMs).toBe(25);
    expect(() => parseArgs(['--configs', 'a', '--configs', 'q-mse'], 'node')).toThrow('--configs is given twice; give it once (a list in one value: --configs a,b)\nusage: npm run bench:node');
    expect(() => parseArgs(['--quick', '--reps', '3', '--reps', '4'], 'node')).toThrow('--reps is given twice; give it once\nusage: npm run bench:node');
  });

  it('each runner\'s npm script starts and prints its usage (npm run bench:node crashed on the WGSL ?raw imports under plain tsx)', () => {
    // package.json's own command lines, run as npm runs them: bench/node.ts imports src/webgpu/fused.ts, whose kernel
    // imports read shaders/*.wgsl?raw; plain `tsx bench/node.ts` stopped at ERR_UNKNOWN_FILE_EXTENSION '.wgsl'.
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    const first: Record<string, RegExp> = { bench: /^usage: npm run bench -- \[options\] /, 'bench:node': /^usage: npm run bench:node -- \[options\] /, 'bench:dawn': /^usage: npm run bench:dawn -- \[options\] / };
    for (const [name, line] of Object.entries(first)) {
      const r = spawnSync(`${scripts[name]} --help`, { shell: true, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${join(process.cwd(), 'node_modules', '.bin')}:${process.env.PATH ?? ''}` } });
      expect(r.stderr, name).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION/);
      expect({ name, status: r.status }).toEqual({ name, status: 0 });
      expect(r.stdout, name).toMatch(line);
    }
  }, 120_000);

  it("--quick's entry says what each runner's --quick runs: the reduced e for the browser runner, the bare matmul for it and the Dawn runner", () => {
    // The Node runner's --quick is a, q-mse and q-ce (no fit, no GPU system); the Dawn runner's adds q-matmul (its
    // ours-webgpu runs the bare matmul; it was left out). Each part of the entry after a "(… runner[s])" is that runner's.
    const quickEntry = (runner: Runner): string => / {2}--quick [^]*?(?=\n {2}--)/.exec(usage(runner))![0].replace(/\s+/g, ' ');
    const runs = (runner: Runner) => {
      const ids = parseArgs(['--quick'], runner).configs.map((c) => c.id);
      return { a: ids.includes('a'), reducedB: ids.includes('q-mse') && ids.includes('q-ce'), reducedE: ids.includes('qe-sgd'), matmul: ids.includes('q-matmul') };
    };
    for (const runner of ['browser', 'node', 'dawn'] as const) {
      const [everyRunner, ...marked] = quickEntry(runner).split(/\(([^()]* runners?)\)/);
      const mine = [everyRunner];
      for (let k = 0; k < marked.length; k += 2) if (marked[k].toLowerCase().includes(runner)) mine.push(marked[k + 1]);
      const text = mine.join(' ');
      const claimed = { a: /\bconfigs a\b/.test(text), reducedB: /a reduced b/.test(text), reducedE: /a reduced e/.test(text), matmul: /bare matmul/.test(text) };
      expect(claimed, runner).toEqual(runs(runner));
    }
    expect(runs('dawn')).toEqual({ a: true, reducedB: true, reducedE: false, matmul: true });
    expect(runs('node')).toEqual({ a: true, reducedB: true, reducedE: false, matmul: false });
  });
});

describe('npm run bench:dawn: its own options', () => {
  it('--vulkan-icd naming no file is a usage error before anything runs (it was a stack trace, exit 1)', () => {
    const missing = join(dir, 'no-icd.json');
    expect(() => readDawnCommand(['--quick', '--vulkan-icd', missing])).toThrow(`--vulkan-icd: ${missing} does not exist`);
    expect(() => readDawnCommand(['--vulkan-icd='])).toThrow("--vulkan-icd needs a value, got ''");
    expect(() => readDawnCommand(['--vulkan-icd', missing, '--vulkan-icd', 'swiftshader'])).toThrow(/^--vulkan-icd is given twice/);
    const icd = join(dir, 'icd.json');
    writeFileSync(icd, '{}');
    expect(readDawnCommand(['--quick', `--vulkan-icd=${icd}`]).env).toEqual({ VK_ICD_FILENAMES: icd });
    expect(readDawnCommand(['--quick']).env).toBeNull();
  });
});
