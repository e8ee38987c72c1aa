/**
 * What `backprop check` prints: every claim with its verdict, then the errata; and the errata page
 * (src/lectures/ERRATA.md), generated from the same results.
 */
import type { ClaimCheck, Status, WorkedCheck } from './check.ts';
import { isFormulaClaim, type WorkedClaim } from './worked.ts';
import { minus } from '../notation/numbers.ts';


/**
 * A number at d decimals, as a text would print it (Unicode minus, as claimPrinted). A negative value that rounds to
 * zero prints unsigned ("0.0", not "−0.0"): a correction shows its full value beside it, which keeps the sign.
 */
export function atDecimals(v: number, d: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = v.toFixed(d);
  return Number(s) === 0 ? s.replace(/^-/, '') : minus(s);
}

function signed(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(1);
  return v >= 0 ? `+${s}` : minus(s);
}

/** 7 significant digits (exponent form below 1e-4). */
function short(v: number): string {
  if (!Number.isFinite(v)) return 'not evaluable';
  if (v === 0) return '0';
  return minus(Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7 ? String(Number(v.toPrecision(7))) : v.toExponential(6));
}

/** An erratum's why, then its doubt where it has one (" Doubt: …"), as the demo's footnotes and the lab's verdicts write it. */
export function erratumWhy(e: { why: string; doubt?: string }): string {
  return `${e.why}${e.doubt === undefined ? '' : ` Doubt: ${e.doubt}`}`;
}

/** A claim as the text printed it: a number at its printed decimals (0.0150 keeps its zero; Unicode minus), or the formula. */
export function claimPrinted(c: WorkedClaim): string {
  return isFormulaClaim(c) ? c.formula : atDecimals(c.printed, c.decimals);
}

/**
 * What the errata page says of a formula's "printed `formula` = value": the value is not the notes' (they print the
 * formula alone) but the formula worked out — the reading check's text report gives under its table (usr56b, read57c).
 */
const FORMULA_NOTE = 'In the "printed" column a formula\'s "= value" is the formula worked out, its names at the net\'s values (the notes print the formula only); "correct" gives the corrected formula worked out the same way.';

/** A claim's quantity: its name and the example it is about (rows of one quantity share the engine's rounding). */
function quantityOf(k: ClaimCheck): string {
  return `${k.claim.name}\u0000${k.example ?? ''}`;
}

/** Decimals that give 7 significant digits of v (none for 0 or a value that is not finite; at most 20). */
function sevenDigits(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  return Math.min(20, Math.max(0, 6 - Math.floor(Math.log10(Math.abs(Number(v.toPrecision(7)))))));
}

/**
 * The decimals the engine's value of each claim is shown at, beside the claim (the lab's Lecture checks table), one
 * rounding a quantity (its name and example): every row of it at the most any of its rows needs — 7 significant
 * digits (as check's corrections), and two more decimals than any of its rows is printed at, so that the digits each
 * is judged on show (−0.0000426 printed at 7 decimals: −0.00004262175). Lecture 001's L read 0.274811 beside its
 * claim printed at 4 decimals and 0.2748111 beside its formula, z_h1 0.377500 and 0.3775; both now at 7 decimals.
 * An exact claim on a whole number keeps it whole (trainable parameters 9).
 */
export function engineDecimals(checks: readonly ClaimCheck[]): number[] {
  const most = new Map<string, number>();
  // A quantity whose every row is an exact claim on a whole number (trainable parameters 9, ∂z_out/∂b2 = 1) is shown
  // whole, as printed: 9, not 9.000000.
  const whole = new Map<string, boolean>();
  for (const k of checks) {
    const q = quantityOf(k);
    const exactWhole = !isFormulaClaim(k.claim) && k.claim.exact === true && Number.isInteger(k.value);
    whole.set(q, (whole.get(q) ?? true) && exactWhole);
    const printed = k.claim.decimals === undefined ? 0 : Math.min(k.claim.decimals + 2, 20);
    most.set(q, Math.max(most.get(q) ?? 0, printed, sevenDigits(k.value)));
  }
  return checks.map((k) => (whole.get(quantityOf(k)) ? 0 : most.get(quantityOf(k)) ?? 0));
}

/** The engine's value of a claim's name at `decimals` (engineDecimals; Unicode minus), "not evaluable" where it is not finite. */
export function claimEngine(k: ClaimCheck, decimals: number): string {
  return Number.isFinite(k.value) ? atDecimals(k.value, decimals) : short(k.value);
}

function printedText(k: ClaimCheck): string {
  const c = k.claim;
  if (!isFormulaClaim(c)) return claimPrinted(c);
  const value = k.shown.unresolved.length > 0 ? `not evaluable: no ${k.shown.unresolved.join(', ')} in this net` : short(k.shown.value);
  return `${c.formula} = ${value}`;
}

function correctText(k: ClaimCheck): string {
  const d = k.claim.decimals; // the correct value at the decimals the text printed
  const full = short(k.value);
  return d !== undefined && !(!isFormulaClaim(k.claim) && k.claim.exact) ? `${atDecimals(k.value, d)} (${full})` : full;
}

/**
 * The value of an erratum's corrected formula, as written: its own arithmetic (lecture 001 line 259's
 * .7414 × .1868 × .45 × .2406 × 1 = 0.01499469), not the engine's value it is checked against (0.01499608), which
 * the printed numbers would not give by hand.
 */
const correctFormulaValue = (c: ClaimCheck): string => short(c.erratum?.correct ?? c.value);

export function verdictText(k: ClaimCheck): string {
  const tol = k.tolerance.toExponential(0);
  // A printed formula without a value (a name the net lacks, log 0) has no error to give: it says so, once.
  const error = (bound: string): string => (Number.isFinite(k.error) ? `, error ${signed(k.error)}${bound}` : ', the printed formula has no value');
  switch (k.status) {
    case 'match':
      return `✓ matches (|error| ${Math.abs(k.error).toExponential(1)} ≤ ${tol})`;
    case 'wrong':
      return `✗ WRONG: correct ${correctText(k)}${error(` > ${tol}`)} — not a recorded erratum`;
    case 'known-erratum':
      // A doubted erratum is wrong as transcribed; the doubt (errata list) says why the notes may be right after all.
      return `✗ wrong — known erratum, ${k.claim.erratum?.doubt === undefined ? 'confirmed' : 'confirmed as transcribed (doubt recorded)'}: correct ${correctText(k)}${error('')}`;
    case 'stale-erratum': {
      const e = k.erratum!;
      const why = k.matches ? 'the text is right' : !e.matchesCorrect ? `its correction gives ${short(e.correct)}, the engine ${short(k.value)}` : 'a listed reading is right';
      return `✗ the recorded erratum does not hold: ${why}`;
    }
  }
}

function exampleTag(k: ClaimCheck): string {
  return k.example === undefined ? '' : ` [example ${k.example + 1}]`;
}

export function countStatuses(checks: ClaimCheck[]): Record<Status, number> {
  const out: Record<Status, number> = { match: 0, wrong: 0, 'known-erratum': 0, 'stale-erratum': 0 };
  for (const k of checks) out[k.status]++;
  return out;
}

/** The errata of a result: one entry per wrong claim (its checks for every example). */
function errataOf(r: WorkedCheck): { claim: WorkedClaim; checks: ClaimCheck[] }[] {
  const byClaim = new Map<number, ClaimCheck[]>();
  for (const k of r.checks) {
    if (k.status === 'match') continue;
    byClaim.set(k.index, [...(byClaim.get(k.index) ?? []), k]);
  }
  return [...byClaim.values()].map((checks) => ({ claim: checks[0].claim, checks }));
}

/** What a result's values come from, in words; `variant`: a WebGPU backend's kernels ("the webgpu backend (float32, tiled kernels)"). */
function sourceText(source: string, variant?: string): string {
  return source === 'scalar' ? 'the scalar engine (float64, path by path)' : `the ${source} backend (float32${variant === undefined ? '' : `, ${variant} kernels`})`;
}

/** The plain-text report of one worked example; `variant`: the kernels of the WebGPU backend its values came from, to name them. */
export function reportText(r: WorkedCheck, file: string, variant?: string): string {
  const w = r.worked;
  const rows = r.checks.map((k) => [k.claim.line === undefined ? '' : String(k.claim.line), `${k.claim.name}${exampleTag(k)}`, printedText(k), verdictText(k)]);
  const widest = (k: number): number => rows.reduce((m, x) => Math.max(m, x[k].length), 0); // no spread: any number of claims
  const widths = [4, Math.min(28, widest(1)), Math.min(40, widest(2))];
  const lines = [
    `${file} — ${w.title}`,
    `  source: ${w.source}; values: ${sourceText(r.source, variant)}`,
    `  ${'line'.padStart(widths[0])}  ${'claim'.padEnd(widths[1])}  ${'printed'.padEnd(widths[2])}  verdict`,
    ...rows.map((x) => `  ${x[0].padStart(widths[0])}  ${x[1].padEnd(widths[1])}  ${x[2].padEnd(widths[2])}  ${x[3]}`),
  ];
  const n = countStatuses(r.checks);
  const claims = new Set(r.checks.map((k) => k.index)).size;
  const doubted = r.checks.filter((k) => k.status === 'known-erratum' && k.claim.erratum?.doubt !== undefined).length;
  // NOTE: a formula claim's "= value" is not printed by the text (it prints the formula alone): it is the formula worked
  // out (its names at the net's values; an arithmetic formula's own numbers multiplied out), the value the verdict judges — said once under the table so that it is not read as the text's.
  if (r.checks.some((k) => isFormulaClaim(k.claim))) lines.push(`  (a formula's "= value" is the formula worked out, its names at this net's values; the text prints the formula only)`);
  lines.push(`  ${claims} claims (${r.checks.length} checks): ${n.match} match, ${n.wrong + n['known-erratum'] + n['stale-erratum']} wrong (${n['known-erratum']} known errata confirmed${doubted > 0 ? ` — ${doubted} as transcribed, with a doubt —` : ','} ${n.wrong} not recorded, ${n['stale-erratum']} stale errata)`);
  return lines.join('\n');
}

/** The numbered errata of every result, as `backprop check` prints them at the end. */
export function errataText(results: { result: WorkedCheck; file: string }[]): string {
  const out: string[] = [];
  let k = 0;
  for (const { result, file } of results) {
    for (const e of errataOf(result)) {
      k++;
      const first = e.checks[0];
      const where = `${file}${e.claim.line ? `:${e.claim.line}` : ''}`;
      const ex = e.checks.length > 1 || first.example !== undefined ? ` (${e.checks.map((c) => `example ${(c.example ?? 0) + 1}`).join(', ')})` : '';
      const printed = isFormulaClaim(e.claim)
        ? `${e.claim.formula} = ${e.checks.map((c) => (c.shown.unresolved.length ? `not evaluable (no ${c.shown.unresolved.join(', ')} in this net)` : short(c.shown.value))).filter((v, i, a) => a.indexOf(v) === i).join('; ')}`
        : e.checks.map(printedText).join('; ');
      const correct = isFormulaClaim(e.claim) && e.claim.erratum ? `${e.claim.erratum.correct} = ${e.checks.map(correctFormulaValue).join('; ')}` : e.checks.map(correctText).join('; ');
      out.push(`${String(k).padStart(3)}. ${where}  ${e.claim.name}${ex}: printed ${printed}; correct ${correct}${first.status === 'known-erratum' ? '' : ` [${first.status}]`}`);
      const why = e.claim.erratum?.why ?? 'not recorded in the file: a new erratum (or a transcription error)';
      out.push(`     ${why}`);
      if (e.claim.erratum?.doubt !== undefined) out.push(`     doubt: ${e.claim.erratum.doubt}`);
    }
  }
  return out.length > 0 ? `errata (${k}):\n${out.join('\n')}` : 'errata: none — every claim matches.';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/**
 * The errata page: every wrong claim of every worked example, with the correct value and why (ordered by source, then
 * file). `lectures`: the results are the lecture notes' files (src/lectures/*.worked.json), and the page is their
 * ERRATA.md; otherwise (a user's own files) it says what it was made from and nothing about the lectures.
 */
export function errataMarkdown(unordered: {
  /** checkWorked's result for one file. */
  result: WorkedCheck;
  /** The file's path, as the page names it. */
  file: string;
}[], options: {
  /** The results are the lecture notes' files: the page is their ERRATA.md (default false). */
  lectures?: boolean;
} = {}): string {
  const key = (r: { result: WorkedCheck; file: string }) => `${r.result.worked.source}\u0000${r.file}`;
  const results = [...unordered].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const all = results.flatMap((r) => errataOf(r.result));
  const total = all.length;
  const claims = results.reduce((s, r) => s + r.result.worked.claims.length, 0);
  const against = `each checked against ${sourceText(results[0]?.result.source ?? 'scalar')}. ${total} ${total === 1 ? 'is' : 'are'} wrong. A printed value is wrong when it is further from the engine's than half a unit of its last printed digit; a printed formula is wrong when its value differs from the engine's (or it names something the net does not have).`;
  const verdicts = total === 0 ? 'Every claim matches.' : all.every((e) => e.checks[0].status === 'known-erratum')
    ? `Each erratum below is confirmed: the printed value or formula is wrong and the corrected one matches${all.some((e) => e.claim.erratum?.doubt !== undefined) ? ' — as transcribed: one with a **Doubt** rests on a reading the OCR leaves open, or on a rounding the notes may not intend, and says why the notes themselves may be right' : ''}.`
    : 'An erratum recorded in its file is confirmed when the printed value or formula is wrong and the corrected one matches; **wrong** marks a wrong claim the file does not record as an erratum, **stale-erratum** a recorded erratum that does not hold.';
  const files = `${results.length} worked-example file${results.length === 1 ? '' : 's'}`;
  const out = options.lectures === true
    ? [
      '# Errata in the lecture notes',
      '',
      '<!-- Generated: npx backprop check --errata-md src/lectures/*.worked.json > src/lectures/ERRATA.md — do not edit; test/worked.test.ts checks that it is current. -->',
      '',
      `Generated by \`backprop check --errata-md\` from the worked-example files in \`src/lectures/\`: ${claims} claims — every number the notes print about their nets and every formula they print in symbols (one printed with its numbers substituted in, as lecture 001's 0.7414 × 0.1868 × 0.5933, is checked as that arithmetic where the worked example writes it as a formula, else through the numbers it prints; README, "Worked examples and check", lists what is not transcribed; lecture 004's exercise asks for its first-layer gradients and prints no answer, so the answers there are claims the notes do not print) — ${against} ${verdicts}`,
      '',
      FORMULA_NOTE,
      '',
    ]
    : ['# Errata', '', `Generated by \`backprop check --errata-md\` from ${files}: ${claims} claims, ${against} ${verdicts}`, '', FORMULA_NOTE, ''];
  for (const { result, file } of results) {
    const w = result.worked;
    const errata = errataOf(result);
    out.push(`## ${w.title}`, '', `Source: \`${w.source}\` · worked example: \`${file}\` · ${w.claims.length} claims, ${errata.length} wrong.`, '');
    if (errata.length > 0) {
      out.push('| line | claim | printed | correct | why |', '|---:|---|---|---|---|');
      for (const e of errata) {
        const ex = e.checks[0].example !== undefined ? ` (${e.checks.map((c) => `example ${(c.example ?? 0) + 1}`).join(', ')})` : '';
        const printed = isFormulaClaim(e.claim) ? `${code(e.claim.formula)} = ${e.checks.map((c) => (c.shown.unresolved.length ? `not evaluable (no ${c.shown.unresolved.join(', ')})` : short(c.shown.value))).filter((v, i, a) => a.indexOf(v) === i).join('; ')}` : atDecimals(e.claim.printed, e.claim.decimals);
        const correct = isFormulaClaim(e.claim) && e.claim.erratum ? `${code(e.claim.erratum.correct)} = ${e.checks.map(correctFormulaValue).join('; ')}` : e.checks.map(correctText).join('; ');
        const doubt = e.claim.erratum?.doubt === undefined ? '' : ` **Doubt:** ${e.claim.erratum.doubt}`;
        const why = `${e.checks[0].status === 'known-erratum' ? '' : `**${e.checks[0].status}** `}${e.claim.erratum?.why ?? 'not recorded in the worked example'}${doubt}`;
        out.push(`| ${e.claim.line ?? ''} | ${code(e.claim.name)}${ex} | ${cell(printed)} | ${cell(correct)} | ${cell(why)} |`);
      }
      out.push('');
    }
    if (w.typos && w.typos.length > 0) {
      out.push('Slips and remarks that change no number (recorded by hand, not checked):', '');
      for (const t of w.typos) out.push(`- line ${t.line}: ${cell(t.note)}`);
      out.push('');
    }
  }
  return out.join('\n');
}
