/**
 * How main dispatches (review cmut54b, each case a surviving mutant): the backend each command runs on when --backend
 * is not given, as its --json says (a grad defaulting to wasm passed every test) — grad's default is the CPU oracle
 * and check's the scalar walk (README, CLI) — and the positional arguments a command refuses, exit 2 with its usage
 * (demo takes none, train at most one spec file). In-process (main), stdout and stderr captured.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { mainRun as run } from './lib/main-run.ts';

const LECTURE = 'src/lectures/lecture-2-2-1.worked.json';

afterEach(() => vi.restoreAllMocks());

it('grad without --backend runs on the CPU and says so (--json backend "cpu", the text\'s backend line)', async () => {
  const json = await run(['grad', LECTURE, '--json']);
  expect(json.status).toBe(0);
  expect(JSON.parse(json.out)).toMatchObject({ backend: 'cpu' });
  const text = await run(['grad', LECTURE]);
  expect(text.out.split('\n')[0]).toMatch(/^backend: cpu\b/);
}, 60_000);

it('check without --backend runs the scalar walk (--json backend "scalar")', async () => {
  const json = await run(['check', LECTURE, '--json', '--known-ok']);
  expect(json.status).toBe(0);
  expect(JSON.parse(json.out)).toMatchObject({ backend: 'scalar' });
}, 60_000);

it('demo refuses a positional argument, and train a second spec file: exit 2, the message, then that command\'s usage', async () => {
  const demo = await run(['demo', 'fast']);
  expect(demo.status).toBe(2);
  expect(demo.err).toMatch(/^error: demo takes no arguments, got 'fast'\n\nusage:\n/);
  const train = await run(['train', LECTURE, LECTURE]);
  expect(train.status).toBe(2);
  expect(train.err).toMatch(/^error: train takes at most one spec file, got 2\n\nusage:\n/);
  expect([demo.out, train.out]).toEqual(['', '']);
});

it('train with --resume and a spec file is refused for the pair before either file is read (a spec file that is not there)', async () => {
  const r = await run(['train', 'no-such-spec.json', '--resume', 'no-such.ckpt']);
  expect(r.status).toBe(2);
  expect(r.err).toMatch(/^error: --resume no-such\.ckpt and the spec file no-such-spec\.json: give one — the checkpoint holds its run's spec/);
});
