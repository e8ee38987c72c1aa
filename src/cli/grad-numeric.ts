/**
 * `backprop grad SPEC --numeric`: each backend's dW and db beside the centred difference (L(p + h) − L(p − h)) / 2h
 * of the float64 loss (src/notation/numeric.ts), with the relative error and a ✓ or ✗ per entry (README, "CLI").
 */
import type { PlainGrad } from './browser.ts';
import type { Net, NetworkSpec } from '../spec.ts';
import { paramPlace, subDigits } from '../notation/ids.ts';
import { Naming } from '../notation/names.ts';
import { GRAD_CHECK_ABS, GRAD_CHECK_REL, gradCheck, type GradCheckRow, type Kink, type NumericGrad, relText, smallText } from '../notation/numeric.ts';
import { symText } from '../notation/symbols.ts';
import { fmt, table } from './format.ts';

/** The threshold as the table's heading and the usage state it. */
export const NUMERIC_RULE = `✓ when |a − n| / max(|a|, |n|) ≤ ${smallText(GRAD_CHECK_REL)} or |a − n| ≤ ${smallText(GRAD_CHECK_ABS)}`;

/** What `grad --numeric --json` adds under `numeric`: h, the threshold, the float64 loss, and one check per entry. */
export interface NumericJson {
  h: number;
  /** ✓ when relErr ≤ rel or |a − n| ≤ abs. */
  tolerance: { rel: number; abs: number };
  /** The float64 loss at the spec's parameters. */
  loss: number;
  checks: {
    /** W₂[0][0], b₁[1], b₁ (shared): the place, as grad's tables count (from 0 in brackets). */
    param: string;
    /** The entry's name in the net's convention (w5). */
    name: string;
    numeric: number;
    /** Per backend: its dW or db entry. */
    analytic: Record<string, number>;
    /** Per backend: |a − n| / max(|a|, |n|) (null where not finite). */
    relErr: Record<string, number | null>;
    /** Per backend: 'ok', 'bad', or 'kink' (the difference crosses a relu kink: not judged). */
    status: Record<string, GradCheckRow['status']>;
    /** The unit whose z changed side of 0 between p − h and p + h: 'Z₁ unit 1, ex 1' (as grad's tables count). */
    kink?: string;
  }[];
  /** How many (entry, backend) pairs are ✗. */
  failed: number;
}

/** A kink as grad's tables name a unit: Z₁ unit 1, ex 1 (counted from 1). */
export const kinkText = (k: Kink): string => `Z${subDigits(k.layer + 1)} unit ${k.unit + 1}, ex ${k.example + 1}`;


/** The checks of every backend run against `numeric`, as a table (text) and as JSON, with the ✗ lines for stderr. */
export function numericReport(spec: NetworkSpec, net: Net, numeric: NumericGrad, runs: readonly PlainGrad[]): { text: string; json: NumericJson; failures: string[] } {
  const naming = new Naming(net, spec.notation);
  const checks = runs.map((g) => gradCheck(numeric, g));
  const failures: string[] = [];
  const json: NumericJson = { h: numeric.h, tolerance: { rel: GRAD_CHECK_REL, abs: GRAD_CHECK_ABS }, loss: numeric.loss, checks: [], failed: 0 };
  const head = ['parameter', 'name', 'numeric', ...runs.flatMap((g) => [g.backend, 'rel. error', ''])];
  const rows: string[][] = [head];
  numeric.entries.forEach((e, k) => {
    const place = paramPlace(net, e.param).replace(/ \(shared.*$/, ' (shared)');
    const name = symText(naming.param(e.param));
    const row = [place, name, fmt(e.value)];
    const entry: NumericJson['checks'][number] = { param: place, name, numeric: e.value, analytic: {}, relErr: {}, status: {}, ...(e.kink ? { kink: kinkText(e.kink) } : {}) };
    runs.forEach((g, r) => {
      const c = checks[r][k];
      row.push(fmt(c.analytic), relText(c.relErr), c.status === 'ok' ? '✓' : c.status === 'bad' ? '✗' : 'kink');
      entry.analytic[g.backend] = c.analytic;
      entry.relErr[g.backend] = Number.isFinite(c.relErr) ? c.relErr : null;
      entry.status[g.backend] = c.status;
      if (c.status === 'bad') failures.push(`${place} (${name}) on ${g.backend}: analytic ${c.analytic}, numeric ${c.numeric}, relative error ${relText(c.relErr)}`);
    });
    rows.push(row);
    json.checks.push(entry);
  });
  json.failed = failures.length;
  const kinks = numeric.entries.filter((e) => e.kink);
  const lines = [
    `gradient check: numeric n = (L(p + h) − L(p − h)) / 2h, float64, h = ${smallText(numeric.h)}; analytic a = each backend's dW, db; ${NUMERIC_RULE}`,
    table(rows, (c) => c === 2 || (c > 2 && (c - 3) % 3 !== 2)),
  ];
  if (kinks.length > 0) {
    lines.push(`kink: ${kinks.length} entr${kinks.length === 1 ? 'y' : 'ies'} not judged — p ± h moves a relu z across 0 (${kinks.map((e) => `${paramPlace(net, e.param).replace(/ \(shared.*$/, '')}: ${kinkText(e.kink!)}`).join('; ')}), so the difference is neither side's slope`);
  }
  lines.push(failures.length === 0 ? `✓ every judged entry agrees (${numeric.entries.length - kinks.length} of ${numeric.entries.length}, on ${runs.map((g) => g.backend).join(', ')})` : `✗ ${failures.length} disagree (listed on stderr)`);
  return { text: lines.join('\n'), json, failures };
}
