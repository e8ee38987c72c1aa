/**
 * The bench page's hidden live line (#said, bench/page/voice.ts RunVoice.rows) with config e's fits=2 (the page's
 * fits=N, --fits): measureFits hands on each fit row from its first fit, so the line said "2 of 2 rows done" after
 * round 1 while round 2 still ran. A fit row is done once it has every fit asked. The rows come from measureAll itself
 * (a stub driver: two systems, each fit the config's epochs); expected counts worked from the round-robin order, jax-wasm then
 * ours-cpu each round (bench/epochs.ts fitOrder).
 */
import { expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import type { EpochStat } from '../bench/fit-systems.ts';
import { measureAll } from '../bench/measure.ts';
import type { Driver } from '../bench/protocol.ts';
import { RunVoice } from '../bench/page/voice.ts';

const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };
const epochs: EpochStat[] = [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.8 }];

it('fits=2: a row is done at its second fit, not its first', async () => {
  const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'ours-cpu,jax-wasm', '--fits', '2'], 'browser'), quiet: true };
  expect(o.policy.fits).toBe(2);
  const heard: string[] = [];
  const voice = new RunVoice({
    status: { textContent: '', setAttribute: () => undefined, removeAttribute: () => undefined },
    said: { get textContent() { return heard.at(-1) ?? ''; }, set textContent(t: string | null) { heard.push(t ?? ''); } },
  });
  const order: string[] = [];
  const driver: Driver = {
    open: async () => { throw new Error('no open: a fit config'); },
    train: async () => { throw new Error('no train'); },
    close: async () => undefined,
    // As many epochs as the config asks (fewer is the row's error).
    fit: async (system, c) => (order.push(system), { description: system, epochs: Array.from({ length: c.fit!.epochs }, (_, k) => ({ ...epochs[0], epoch: k + 1, at: k + 1 })) }),
  };
  const sink = { show: () => undefined, done: () => undefined, rows: (rows: Parameters<RunVoice['rows']>[0]) => voice.rows(rows, 2, o.policy.fits) };
  await measureAll(driver, o, o.configs, env, 'test', sink);
  // Four fits, two rounds; the line after each: round 1 leaves both rows at one fit of two (none done).
  expect(order).toHaveLength(4);
  expect(heard.slice(0, 4)).toEqual(['0 of 2 rows done', '0 of 2 rows done', '1 of 2 rows done', '2 of 2 rows done']);
});

it('one fit a row (the default): a fit row is done at its fit; an erred row is done; fits absent reads as one', () => {
  const heard: string[] = [];
  const voice = new RunVoice({
    status: { textContent: '', setAttribute: () => undefined, removeAttribute: () => undefined },
    said: { get textContent() { return heard.at(-1) ?? ''; }, set textContent(t: string | null) { heard.push(t ?? ''); } },
  });
  voice.rows([{ status: 'ok' }, { status: 'error', error: 'fit 1 of 2: lost' }], 3);
  voice.rows([{ status: 'ok', fits: [{ epochs }] }, { status: 'error', error: 'fit 1 of 2: lost' }], 3, 2);
  expect(heard).toEqual(['2 of 3 rows done', '1 of 3 rows done']);
});
