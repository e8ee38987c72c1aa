/**
 * The bench page's `vs X` columns in a run of config e alone (bench/page/table.ts pageTable): a `vs X` cell is a
 * row's steps/s over X's (targets.ts ratios), and a fit (e, qe) has no steps/s, so in a run of fits alone every such
 * cell was "—" — a column of dashes per peer, as the ms/step and steps/s columns the table already leaves out there
 * (usr56l: `bench.html?configs=qe-sgd,qe-adam&systems=ours-wasm,jax-wasm&quick=1&autorun=1` had a `vs jax-wasm` of
 * four dashes). A run with a timed step keeps them.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CONFIGS } from '../bench/configs.ts';
import { pageTable, type TablePlan } from '../bench/page/table.ts';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import type { SystemId } from '../bench/systems.ts';

const byId = (id: string) => ALL_CONFIGS.find((c) => c.id === id)!;
const plan = (configs: string[], systems: SystemId[]): TablePlan => ({ configs: configs.map(byId), systems });
const fitted = (system: SystemId, config: string): Row => ({
  system, config, status: 'ok', agreeSteps: 0, finalLoss: 2.1116, epochs: [{ epoch: 1, at: 0.5, loss: 2.1116, testAccuracy: 0.578 }], timeToAccuracy: 0.5,
});
// The head of a fit-only table, by hand: config, system, e's four columns (no ms/step, steps/s), agreement.
const E_ONLY = ['config', 'system', 'loss after N (e: epoch 1)', 'test accuracy (e)', 'fit time (e)', 'time to goal (e)', 'agreement'];

describe('a run of fits alone has no `vs X` columns: a fit has no steps/s to divide (usr56l)', () => {
  it('from Run on, while it goes on and when it has ended; each body row as wide as the head', () => {
    const systems: SystemId[] = ['ours-wasm', 'tfjs-webgl', 'jax-wasm'];
    const p = plan(['qe-sgd', 'qe-adam'], systems);
    const atRun = pageTable([], { policy: QUICK_POLICY, plan: p });
    expect(atRun.head).toEqual(E_ONLY);
    const rows = ['qe-sgd', 'qe-adam'].flatMap((c) => systems.map((s) => fitted(s, c)));
    const ended = pageTable(rows, { policy: QUICK_POLICY, plan: p, goals: { 'qe-sgd': 0.9, 'qe-adam': 0.9 } });
    expect(ended.head).toEqual(E_ONLY);
    for (const cells of [...atRun.body, ...ended.body]) expect(cells).toHaveLength(E_ONLY.length);
    expect(ended.right).toHaveLength(E_ONLY.length);
    expect(ended.rowHeader).toHaveLength(E_ONLY.length);
    // Without a plan (the rows alone), the same.
    expect(pageTable(rows).head).toEqual(E_ONLY);
  });

  it('a run with a timed step beside its fits keeps one column per peer, in PEER_SYSTEMS order', () => {
    const head = pageTable([], { policy: QUICK_POLICY, plan: plan(['a', 'qe-sgd'], ['jax-wasm', 'ours-wasm', 'tfjs-webgl']) }).head;
    expect(head.slice(-2)).toEqual(['vs tfjs-webgl', 'vs jax-wasm']);
    expect(head).toContain('steps/s');
  });
});
