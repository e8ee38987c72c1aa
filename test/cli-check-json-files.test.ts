/**
 * check --json on several files, as a TA grades a class (src/cli/check.ts runCheck): a file that cannot be read,
 * parsed or checked is an entry of its own, {file, error: {code, field?, message}}, in its place among the others,
 * which are checked, and the exit status is 2. Task grade61: one student's malformed file stopped the whole class's
 * run, exit 2 with no JSON at all. Without --json the first such file is still the error (test/worked.test.ts,
 * "check with several files").
 *
 * The verdicts expected are worked here by hand from lecture 001's net (x = (0.05, 0.10), w1..w4 = .15, .2, .25, .3,
 * b1 = .35 shared, w5, w6 = .4, .45, b2 = .6, y = .01), not read from the engine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/cli/check.ts';
import { lecture } from '../src/lectures/index.ts';
import { builtCliEnv } from './lib/built-cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'backprop-check-json-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
/** A student's worked example of lecture 001's net. */
const student = (id: string, claims: unknown[], spec: unknown = lecture('lecture-2-2-1').worked.spec): string =>
  JSON.stringify({ format: 'backprop-worked-example/1', id, title: `homework, ${id}`, source: 'homework 3', description: 'by hand', spec, claims });

// By hand, in float64: a_h1 = σ(0.05·0.15 + 0.1·0.2 + 0.35), ŷ = σ(a_h1·0.4 + a_h2·0.45 + 0.6), ∂L/∂w5 = (ŷ − y)·ŷ(1 − ŷ)·a_h1.
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const yHat = sig(aH1 * 0.4 + aH2 * 0.45 + 0.6);
const dW5 = (yHat - 0.01) * yHat * (1 - yHat) * aH1;

// right: a_h1 and ∂L/∂w5 at 4 decimals; wrong: ∂L/∂w5 one digit off (0.0823 where it is 0.0822).
const right = write('right.worked.json', student('right', [
  { name: 'a_h1', printed: Number(aH1.toFixed(4)), decimals: 4 },
  { name: '∂L/∂w5', printed: Number(dW5.toFixed(4)), decimals: 4 },
]));
const wrong = write('wrong.worked.json', student('wrong', [
  { name: 'a_h1', printed: Number(aH1.toFixed(4)), decimals: 4 },
  { name: '∂L/∂w5', printed: Number(dW5.toFixed(4)) + 0.0001, decimals: 4 },
]));
const trailingComma = write('comma.worked.json', `${student('comma', [{ name: 'a_h1', printed: 0.5933, decimals: 4 }]).slice(0, -1)},}`);
const noValue = write('no value.worked.json', student('novalue', [{ name: 'a_h1', printed: 0.5933, decimals: 4 }, { name: 'a_h2' }]));
// A batch of two with a per-example name and no `examples`: an error raised while checking, not while reading.
const twoExamples = (() => {
  const spec = structuredClone(lecture('lecture-2-2-1').worked.spec) as { x: number[][]; y: number[][] };
  spec.x = [spec.x[0]!, spec.x[0]!];
  spec.y = [spec.y[0]!, spec.y[0]!];
  return write('batch.worked.json', student('batch', [{ name: 'a_h1', printed: 0.5933, decimals: 4 }], spec));
})();
const missing = join(dir, 'never-handed-in.worked.json');

interface FileEntry { file: string; id?: string; checks?: { name: string; matches: boolean }[]; error?: { code: string; field?: string; message: string } }
interface CheckJson { files: FileEntry[]; counts: Record<string, number>; failed: boolean; errors: number }

async function json(files: string[]): Promise<{ code: number; report: CheckJson }> {
  const out: string[] = [];
  const code = await runCheck(files, { backend: 'scalar', knownOk: false, errataMd: false, json: true }, (s) => out.push(s));
  return { code, report: JSON.parse(out.join('')) as CheckJson };
}

describe('check --json: a file that cannot be checked is reported in its place, the others checked', () => {
  it('unreadable files between good ones: every file once, in the order given, each checked or with its error; exit 2', async () => {
    const files = [right, trailingComma, wrong, noValue, missing, right];
    const { code, report } = await json(files);
    expect(code).toBe(2);
    expect(report.files.map((f) => f.file)).toEqual(files);
    expect(report.files.map((f) => (f.error ? f.error.code : f.checks!.map((c) => c.matches)))).toEqual([
      [true, true], 'INPUT', [true, false], 'CLAIM', 'INPUT', [true, true],
    ]);
    expect(report.files[1]!.error!.message).toMatch(new RegExp(`^${comma()}: not valid JSON at line \\d+, column \\d+`));
    expect(report.files[3]!.error).toMatchObject({ field: `${noValue}: claims[1] ("a_h2")`, message: expect.stringContaining('the claim has no value') });
    expect(report.files[4]!.error!.message).toBe(`${missing}: no such file`);
    expect(report.errors).toBe(3);
    // The counts and `failed` are those of the claims checked: one wrong of the 6 checks of the three files checked.
    expect([report.counts.match, report.counts.wrong, report.failed]).toEqual([5, 1, true]);
  });

  it('an error raised while checking (a per-example name in a batch of two) is the file\'s entry, the next file checked', async () => {
    const { code, report } = await json([twoExamples, wrong]);
    expect(code).toBe(2);
    expect(report.files[0]!.error).toMatchObject({ code: 'CLAIM', field: expect.stringMatching(new RegExp(`^${escaped(twoExamples)}: claims\\[0\\]`)) });
    expect(report.files[1]!.checks!.map((c) => c.matches)).toEqual([true, false]);
  });

  it('no file in error: exit 1 when a claim is wrong, 0 when none, errors 0', async () => {
    expect(await json([right, wrong])).toMatchObject({ code: 1, report: { errors: 0, failed: true } });
    expect(await json([right])).toMatchObject({ code: 0, report: { errors: 0, failed: false } });
  });

  it('without --json the first bad file is still the error (the text is printed only of files all checked)', async () => {
    await expect(runCheck([right, noValue], { backend: 'scalar', knownOk: false, errataMd: false, json: false }, () => {})).rejects.toThrow(/the claim has no value/);
    // An error raised while checking, not reading, too: not dropped from the text with the file left out.
    const printed: string[] = [];
    await expect(runCheck([right, twoExamples], { backend: 'scalar', knownOk: false, errataMd: false, json: false }, (s) => printed.push(s)))
      .rejects.toMatchObject({ code: 'CLAIM', field: expect.stringMatching(new RegExp(`^${escaped(twoExamples)}: claims\\[0\\]`)) });
    expect(printed).toEqual([]);
  });

  it('the CLI prints the JSON on stdout and exits 2, nothing on stderr', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/backprop.js'), 'check', right, trailingComma, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...builtCliEnv() } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as CheckJson;
    expect(report.files.map((f) => [f.file, f.error?.code ?? f.checks!.length])).toEqual([[right, 2], [trailingComma, 'INPUT']]);
  });
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function comma(): string {
  return escaped(trailingComma);
}
