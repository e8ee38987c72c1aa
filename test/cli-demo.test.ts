/**
 * backprop demo, run as a user runs it (test/lib/cli-run.ts): without WebGPU, its verdicts against backprop check's,
 * and its pointers to the lecture file from a checkout and from an installed package.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lecturePointers, lectureRows, verdictText } from '../src/cli/demo.ts';
import { loadLecture, verdicts } from '../src/cli/lecture.ts';
import { checkWorked } from '../src/worked/check.ts';
import type { ValueSource } from '../src/worked/sources.ts';
import { BIN, BUILT, ROOT, cliEnv, dir } from './lib/cli-run.ts';

describe('backprop demo without WebGPU', () => {
  it('says so, checks the lecture on the CPU and wasm (errata flagged, no mismatch) and trains', () => {
    // BACKPROP_WEBGPU=browser: no Dawn (it would find SwiftShader here), and no Chromium either.
    const r = cliEnv({ BACKPROP_WEBGPU: 'browser', CHROME_PATH: join(dir, 'no-such-chromium'), BACKPROP_CHROMIUM: 'system' }, 'demo', '--steps', '1', '--epochs', '1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/webgpu: UNAVAILABLE — CHROME_PATH is set to .*no-such-chromium/);
    // Two value columns: cpu, then wasm.
    expect(r.stdout).toMatch(/new w5 = w5 − η·∂L\/∂w5 +0\.399927 +0\.39999\d* +0\.39999\d* +✓ lecture erratum \[1\]: correct 0\.3999918/);
    expect(r.stdout).toMatch(/ 98 +∂L\/∂w5 +0\.0822 +0\.0821670\d* +0\.0821670\d* +✓ match/);
    expect(r.stdout).not.toContain('MISMATCH');
    // An erratum's footnote gives its doubt too: 0.4499 is 0.44999173 truncated (review i38 #4).
    expect(r.stdout).toMatch(/\n {2}\[\d+\] line 124, new w6: .* Doubt: a truncation, not a slip/);
    // The reason once, in the header: part (b) points at it (the reason in parentheses nested its own).
    expect(r.stdout).toMatch(/^ {4}WebGPU unavailable, as the webgpu line at the top says: trained on cpu and wasm only\.$/m);
    expect(r.stdout.match(/CHROME_PATH is set to/g)).toHaveLength(1);
    // Part (b)'s progress line gives train's loss, step 1's before its update: the table's loss at start, not after.
    const line = /cpu +step 1\/1 +loss (\S+) +\(before step 1's update\)/.exec(r.stdout);
    const row = /\n +cpu +(\S+) +(\S+) +\d+\n/.exec(r.stdout);
    expect([line?.[1], row?.[1]]).toEqual([row?.[1], line?.[1]]);
    expect(row?.[2]).not.toBe(row?.[1]);
    expect(r.stdout).toMatch(/\(c\) model\.fit on MNIST/);
    expect(r.stdout).toMatch(/\n {4}1 epoch, \d+ training digits/); // '1 epochs'
    expect(r.stdout).toMatch(/cpu +epoch 1: test accuracy \d+\.\d\d %/);
    // usr57e: the table's first column is the notes' line number, said so; and under the MNIST table, how far wasm's
    // count of correct test digits is from cpu's (cpu 93.35 % beside wasm 93.45 % went unexplained).
    expect(r.stdout).toMatch(/\n {2}notes line +quantity +lecture +cpu +wasm +verdict\n/);
    expect(r.stdout).toMatch(/\n {4}correct test digits \(of \d+\) against cpu's: wasm (the same at every epoch|at most \d+ digits? off \(epoch 1\))\n/);
  }, 120_000);
});

describe('demo lecture verdicts: backprop check\'s, claim for claim', () => {
  // The demo and `backprop check` judge the same claims: a value must never be "match" in one and "wrong" in the
  // other. Probes sit just inside and just outside each claim's tolerance (and its erratum's corrected value's),
  // where two different rules would disagree; eps is a float32 matrix backend's (src/worked/sources.ts).
  const lecture = loadLecture('lecture-2-2-1');
  const worked = lecture.prepared.worked;
  const probe = (v: number): ValueSource => ({ name: 'cpu', value: () => v, eps: (x) => 1e-6 + 1e-5 * Math.abs(x) });
  const byClaim = checkWorked(worked, () => probe(0)).checks;
  it('every numeric claim is one the checker checks', () => {
    expect(lecture.claims.length).toBeGreaterThan(40);
    for (const c of lecture.prepared.claims) expect(worked.claims).toContain(c.claim);
  });
  it('the demo\'s verdict equals check\'s for values on either side of every tolerance', () => {
    let compared = 0;
    lecture.prepared.claims.forEach(({ claim }, k) => {
      const c = byClaim.find((x) => x.claim === claim)!;
      const centres = [[c.shown.value, c.tolerance], ...(c.erratum ? [[c.erratum.correct, c.erratum.correctTolerance]] : [])];
      for (const [centre, tol] of centres) {
        for (const v of [centre, centre - tol * 1.001, centre - tol * 0.999, centre + tol * 0.999, centre + tol * 1.001]) {
          const check = checkWorked(worked, () => probe(v)).checks.find((x) => x.claim === claim)!.status;
          expect(verdicts(lecture, probe(v))[k], `${claim.name} (line ${claim.line}) at ${v}`).toBe(check);
          compared++;
        }
      }
    });
    expect(compared).toBeGreaterThan(5 * lecture.claims.length);
  });
  it('anchors from the lecture\'s own numbers, and the verdict column each status gives', () => {
    // ∂L/∂w5 printed 0.0822 (line 98): within half a unit of the 4th decimal (plus float32 rounding) or not.
    const w5 = lecture.prepared.claims.findIndex(({ claim }) => claim.line === 98);
    expect(verdicts(lecture, probe(0.08224))[w5]).toBe('match');
    expect(verdicts(lecture, probe(0.08226))[w5]).toBe('wrong');
    // new w5 printed 0.399927 (line 108), an erratum: 0.40 − 0.0001 × 0.0821670406 = 0.3999917833 confirms it, the
    // printed value does not.
    const neww5 = lecture.prepared.claims.findIndex(({ claim }) => claim.line === 108);
    expect(verdicts(lecture, probe(0.3999917833))[neww5]).toBe('known-erratum');
    expect(verdicts(lecture, probe(0.399927))[neww5]).toBe('stale-erratum');
    const [plain, erratum] = [lecture.claims[w5]!, lecture.claims[neww5]!];
    const text = (claim: typeof plain, v: Parameters<typeof verdictText>[1][number]['v']) => verdictText(claim, [{ backend: 'cpu', v }, { backend: 'webgpu', v: claim.erratum ? 'known-erratum' : 'match' }]);
    expect(text(plain, 'match')).toEqual({ text: '✓ match', failed: false });
    expect(text(plain, 'wrong')).toEqual({ text: '✗ MISMATCH (cpu)', failed: true });
    // The correction, 0.3999918 at its 7 decimals, in the verdict (the lecture column shows the lecture's 0.399927).
    expect(text(erratum, 'known-erratum')).toEqual({ text: '✓ lecture erratum: correct 0.3999918', failed: false });
    expect(text(erratum, 'stale-erratum')).toEqual({ text: '✗ MISMATCH (cpu): erratum not confirmed (lecture erratum: correct 0.3999918)', failed: true });
  });
  it('the lecture column is what the lecture prints, by check\'s claimPrinted; an update it does not print says so', () => {
    // An engine that gives the exact values: ∂L/∂w4 = δ_h2·x2 = 0.0149960755 × 0.10 (lecture 001, line 201 prints
    // "-0.00150", an erratum), and every update w − 0.0001·∂L/∂w.
    const exact: Record<number, number> = { 201: 0.00149960755, 108: 0.3999917833 };
    const cpu: ValueSource = { name: 'cpu', value: (ref) => (ref.kind === 'updated' ? 0.1499999 : 0), eps: (x) => 1e-6 + 1e-5 * Math.abs(x) };
    const byLine = (line: number): ValueSource => ({ ...cpu, value: () => exact[line] });
    const { rows } = lectureRows(lecture, ['cpu'], [cpu]);
    const w4 = rows.find((r) => r[0] === '201')!;
    expect(w4[2]).toBe('−0.00150'); // the Unicode minus and the printed zero, as `backprop check` prints the claim
    expect(lectureRows(lecture, ['cpu'], [byLine(201)]).rows.find((r) => r[0] === '201')![4]).toMatch(/^✓ lecture erratum \[\d+\]: correct 0\.0014996$/);
    expect(rows.find((r) => r[0] === '108')![2]).toBe('0.399927');
    // new w1 … new b2: the lecture prints none of their values (line 168 stops at "="): no lecture value is made up;
    // new w1's update it prints as a formula on line 168, 0.15 − (0.0001 × 0.00067): that, with its line.
    const unprinted = rows.filter((r) => r[4].startsWith('—'));
    expect(unprinted.map((r) => r[1].split(' = ')[0])).toEqual(['new w1', 'new w2', 'new w3', 'new w4', 'new b1', 'new b2']);
    expect([unprinted[0][0], unprinted[0][2], unprinted[0][4]]).toEqual(['168', '0.15 − (0.0001 × 0.00067)', '— the formula only: its result is not printed']);
    for (const r of unprinted.slice(1)) expect([r[0], r[2], r[4]]).toEqual(['', 'not printed', '—']);
    // a negative engine value with the same minus
    expect(lectureRows(lecture, ['cpu'], [{ ...cpu, value: () => -0.5 }]).rows[0]![3]).toBe('−0.5');
  });
});

describe('demo inside the checkout names the worked-example file relative to the working folder (review mutants5)', () => {
  it('from a subfolder of the checkout: a relative path that exists there, in both the "from" line and the commands', () => {
    const cwd = join(ROOT, 'src');
    const r = spawnSync(process.execPath, [BIN, 'demo', '--steps', '1', '--epochs', '0'], {
      cwd, encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, BACKPROP_WEBGPU: 'browser', CHROME_PATH: join(dir, 'no-such-chromium'), BACKPROP_CHROMIUM: 'system' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('lecture values from lectures/lecture-2-2-1.worked.json (');
    expect(r.stdout).toContain('(npx backprop check lectures/lecture-2-2-1.worked.json checks every claim');
    expect(r.stdout).toContain('npx backprop explain lectures/lecture-2-2-1.worked.json --param w1');
  }, 70_000);
});

describe("demo's pointers to the lecture file from an installed package (lecturePointers, src/cli/demo.ts)", () => {
  // An installed package's root: no src/lectures/ beside its bin/.
  const installed = join(dir, 'installed-root');
  const file = 'src/lectures/lecture-2-2-1.worked.json';
  it('where the package does not resolve (a global install, a bin run by its path): the import by file URL, the bin by path; the command writes the file', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'backprop-elsewhere-'));
    try {
      const lectures = pathToFileURL(join(BUILT.BACKPROP_CLI_LIB, 'lectures', 'index.js'));
      const { where, lines } = lecturePointers(file, installed, cwd, lectures);
      expect(where).toBe("lecture('lecture-2-2-1') of backprop-webgpu/lectures");
      const write = lines[1].trim();
      expect(write).toContain(`from '${lectures.href}'`);
      // Run as printed: it was `import … from 'backprop-webgpu/lectures'`, ERR_MODULE_NOT_FOUND outside a project that has it.
      const r = spawnSync('bash', ['-c', write], { cwd, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(readFileSync(join(cwd, 'lecture-2-2-1.worked.json'), 'utf8')) as { id: string }).id).toBe('lecture-2-2-1');
      expect(lines[2]).toBe(`   node ${join(installed, 'bin', 'backprop.js')} check lecture-2-2-1.worked.json checks every claim, formulas included;`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
  it('in a project that has the package installed: the import by its name, and npx', () => {
    const project = join(dir, 'project');
    const pkg = join(project, 'node_modules', 'backprop-webgpu');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'backprop-webgpu', exports: { './package.json': './package.json' } }));
    const { lines } = lecturePointers(file, pkg, project, new URL('file:///nowhere/lectures/index.js'));
    expect(lines[1]).toContain("from 'backprop-webgpu/lectures'");
    expect(lines[2]).toBe('   npx backprop check lecture-2-2-1.worked.json checks every claim, formulas included;');
  });
});
