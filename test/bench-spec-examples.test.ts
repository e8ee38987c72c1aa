/**
 * The benchmark's --spec with x and y example-major ({examples, data}, a form the engine takes: README, "The network
 * spec"): its examples counted (the batch, the title, the budget, --batch's refusal) and its data handed on as rows
 * (DataSource 'given'). Before, `spec.x.length` of the object was undefined — "batch undefined" — the budget was
 * checked at 0 examples, and materialize's `src.x.flat()` was a TypeError. Rows expected by hand: example c's
 * feature j at c × features + j.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { materialize, specConfig } from '../bench/configs.ts';
import { ShapeError } from '../src/errors.ts';
import type { NetworkSpec } from '../src/spec.ts';

/** 2 inputs → 1 sigmoid unit, three examples: (1, 2) → 0, (3, 4) → 1, (5, 6) → 0. */
const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
  x: { examples: 3, data: [1, 2, 3, 4, 5, 6] }, y: { examples: 3, data: [0, 1, 0] },
};

const dir = mkdtempSync(join(tmpdir(), 'bench-spec-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench --spec with {examples, data}', () => {
  it('its examples are the batch (and the title\'s), its data the rows of the spec', () => {
    const c = specConfig(SPEC, 'own.json');
    expect(c.batch).toBe(3);
    expect(c.title).toBe('own.json: 2-1, batch 3, mse');
    expect(c.data).toEqual({ kind: 'given', x: [[1, 2], [3, 4], [5, 6]], y: [[0], [1], [0]] });
    const m = materialize(c);
    expect(Array.from(m.X)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(m.Y)).toEqual([0, 1, 0]);
  });

  it('a malformed one is the engine\'s typed error naming the field', () => {
    expect(() => specConfig({ ...SPEC, x: { examples: 3, data: [1, 2, 3] } }, 'own.json')).toThrow(ShapeError);
    expect(() => specConfig({ ...SPEC, x: { examples: 3, data: [1, 2, 3] } }, 'own.json')).toThrow(/^x\.data: /);
  });

  it('the budget counts its examples (not 0): 2·10⁸ examples are over it, named x, before its data is read', () => {
    // The count alone is over the host budget (2 GiB): refused before data of that length is looked for.
    const huge = { ...SPEC, x: { examples: 200_000_000, data: [] }, y: { examples: 200_000_000, data: [] } };
    expect(() => specConfig(huge, 'own.json')).toThrow(/^x: this net needs .* of host memory \(3 parameters, 200000000 examples × 1 unit\), over the host budget/);
  });

  it('--batch beside a spec of its own x and y counts its examples in the refusal', () => {
    const file = join(dir, 'own.json');
    writeFileSync(file, JSON.stringify(SPEC));
    expect(() => parseArgs(['--spec', file, '--batch', '8'], 'browser')).toThrow(/^--batch: own\.json has its own x and y \(3 examples\), so --batch would do nothing/);
  });
});
