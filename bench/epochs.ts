/**
 * Config e, time to accuracy (issue 14): how a system's fit run becomes a row, which rows agree, the time each
 * system needs to reach the peers' accuracy, the target check, and its Markdown table and SVG chart.
 *
 * A row: the system's own fit (bench/fit-systems.ts) from the shared start, in the shared batch order; per epoch the
 * seconds since the start (epoch 1 includes data upload and compiles), the mean training loss and the test accuracy.
 * With --fits N (policy.fits) each system fits N times, round-robin across the systems (measureFits): the row keeps
 * every fit (row.fits), shows their per-epoch median, and its time to accuracy is the median of the fits' times.
 * Agreement: epoch 1's mean training loss (row.finalLoss; with fits, every fit's) against ours-cpu's (its first fit's),
 * under the config's rtol (configs.ts CONFIG_E says why 1e-3) — bench/protocol.ts `agree`, the same rule as a–d —, and
 * epoch 1's test accuracy; where fit.agreeEpochs ≥ 2 (e-sgd, qe) epochs 2 … K as well (bench/agree-epochs.ts).
 * Time to accuracy: goal = the best peer's final test accuracy − 0.5 point; a system's time is the `at` of its first
 * epoch whose test accuracy reaches the goal (accuracy is measured once per epoch, so times are epoch ends), null if
 * it never does. Target: our fastest system's time ≤ ½ the fastest peer's (the ratio peer/ours ≥ 2).
 */
import { namedMessageOf } from '../src/checks.ts';
import { escapeXml } from '../src/svg.ts';
import type { BenchConfig } from './configs.ts';
import type { EpochStat, FitPhase, FitRun } from './fit-systems.ts';
import { type Entrant, isStopped, type ProgressFn, type Row, stat, stoppedRow } from './protocol.ts';
import { computeThreads, pairCounts, type TargetCheck, targetRows } from './targets.ts';
import { fewestCounts, legendWidth, rowColor, titleWidth, wrapEnv } from './chart.ts';
import { systemLabel } from './labels.ts';
import { PEER_SYSTEMS, type SystemId, type WebGpuVariant } from './systems.ts';

/** The goal's margin below the best peer's final accuracy: half a point. */
const ACCURACY_MARGIN = 0.005;
/** Our fastest system must reach the goal in at most 1/TTA_RATIO of the fastest peer's time. */
const TTA_RATIO = 2;

/** A system's fit; `onEpoch` hears each epoch as it ends (the progress line); `variant`: ours-webgpu's kernel variant. */
export type FitFn = (system: SystemId, config: BenchConfig, onEpoch?: (e: EpochStat) => void, variant?: WebGpuVariant) => Promise<FitRun>;

/**
 * The order of config e's fits with --fits N: round k runs every system's fit k, in the systems' order (A B C A B C
 * …, as a–d's repetitions), so that drift in the machine's speed falls on every system alike.
 */
export function fitOrder(systems: number, fits: number): { fit: number; system: number }[] {
  return Array.from({ length: systems * fits }, (_, k) => ({ fit: Math.floor(k / systems), system: k % systems }));
}

/**
 * Config e's rows, one per entrant: each system's fit `fits` times (policy.fits), in fitOrder, each fit from the same
 * start in the same batch order (the config's). A fit's error makes its row status 'error' (the fits before it kept)
 * and the row drops out. One fit: the row is that fit (as before --fits). More: row.fits holds every fit, row.epochs
 * their per-epoch median (medianEpochs), finalLoss and fitPhases fit 1's. `progressOf(e, unit)`: the progress line
 * of the unit-th fit in the order run; `onFit`: the rows after each fit (the page's table fills in).
 */
export async function measureFits(fit: FitFn | undefined, entrants: Entrant[], c: BenchConfig, fits: number, progressOf: (e: Entrant, unit: number) => ProgressFn, onFit?: (rows: Row[]) => void, stop?: AbortSignal): Promise<Row[]> {
  const rows: Row[] = entrants.map(({ system, variant }) => ({ system, config: c.id, status: 'ok', agreeSteps: c.agreeSteps, ...(variant ? { variant } : {}) }));
  for (const [unit, { fit: k, system: s }] of fitOrder(entrants.length, fits).entries()) {
    // `stop` (the bench page's Stop) is read between fits, never during one (a fit is one timed run).
    if (stop?.aborted) break;
    const row = rows[s];
    if (row.status !== 'ok') continue;
    const { system, variant } = entrants[s];
    const progress = progressOf(entrants[s], unit);
    const which = fits > 1 ? `fit ${k + 1}/${fits}` : 'fit';
    try {
      if (!fit || !c.fit) throw new Error(`config ${c.id} needs a runner with fit (the browser runner, npm run bench)`);
      const epochs = c.fit.epochs;
      progress(`${which}, ${epochs} epoch${epochs > 1 ? 's' : ''} of ${c.fit.train} digits`);
      const run = await fit(system, c, (e) => progress(`${which}, epoch ${e.epoch}/${epochs}: ${e.at.toFixed(1)} s, ${pct(e.testAccuracy)} test accuracy`, e.epoch / epochs), variant);
      if (run.epochs.length !== epochs) throw new Error(`ran ${run.epochs.length} of ${epochs} epochs`);
      addFit(row, run, fits);
    } catch (err) {
      row.status = 'error';
      row.error = `${fits > 1 ? `fit ${k + 1} of ${fits}: ` : ''}${namedMessageOf(err)}`;
    }
    onFit?.(rows.filter((r) => r.epochs || r.status !== 'ok'));
  }
  // Stopped: a row with fewer fits than asked is not run (its fits so far dropped: a row is all its fits or none).
  const fitted = (r: Row): number => r.fits?.length ?? (r.epochs ? 1 : 0);
  return rows.map((r, k) => (stop?.aborted && r.status === 'ok' && fitted(r) < fits ? stoppedRow(entrants[k], c, {}) : r));
}

/** A fit into its row: the row itself with one fit a row, else one more of row.fits and their medians (measureFits). */
export function addFit(row: Row, run: FitRun, fits: number): void {
  row.description ??= run.description;
  if (run.hidden) row.hiddenReps = (row.hiddenReps ?? 0) + 1;
  if (fits === 1) {
    row.epochs = run.epochs;
    if (run.phases) row.fitPhases = run.phases;
  } else {
    row.fits = [...(row.fits ?? []), { epochs: run.epochs, ...(run.phases ? { fitPhases: run.phases } : {}) }];
    row.epochs = medianEpochs(row.fits.map((f) => f.epochs));
    if (row.fits[0].fitPhases) row.fitPhases = row.fits[0].fitPhases;
  }
  const first = (row.fits?.[0]?.epochs ?? row.epochs)[0];
  row.finalLoss = first.loss;
  row.agreeMs = first.at * 1000;
}

/** Each epoch's median over several fits of the same epochs: its end (seconds), its loss, its test accuracy. */
export function medianEpochs(fits: EpochStat[][]): EpochStat[] {
  return fits[0].map((e, k) => ({
    epoch: e.epoch, at: stat(fits.map((f) => f[k].at)).median, loss: stat(fits.map((f) => f[k].loss)).median, testAccuracy: stat(fits.map((f) => f[k].testAccuracy)).median,
  }));
}

/** The median of times to the goal, a fit that never reached it counting as slower than any (null when the median is one). */
function medianTime(times: (number | null)[]): number | null {
  const m = stat(times.map((t) => t ?? Infinity)).median;
  return Number.isFinite(m) ? m : null;
}

/**
 * What a row of several fits adds to its time to the goal: ' (median of 3 fits, 1.90–2.40 s)'; where some fit never
 * reached it ' (median of 3 fits, 1.90 s – not reached)', where none did ' (median of 3 fits, none reached it)'; without
 * a goal (no peer ran) ' (median of 3 fits)'; '' for a row of one fit.
 */
export function fitsSpread(r: Pick<Row, 'fits'>): string {
  if (!r.fits || r.fits.length < 2) return '';
  // No goal (no peer ran): no times to spread.
  if (r.fits.every((f) => f.timeToAccuracy === undefined)) return ` (median of ${r.fits.length} fits)`;
  const { min, max } = stat(r.fits.map((f) => f.timeToAccuracy ?? Infinity));
  const range = !Number.isFinite(min) ? 'none reached it' : Number.isFinite(max) ? `${min.toFixed(2)}–${max.toFixed(2)} s` : `${min.toFixed(2)} s – not reached`;
  return ` (median of ${r.fits.length} fits, ${range})`;
}

const finalAccuracy = (r: Row): number => r.epochs![r.epochs!.length - 1].testAccuracy;

/** The first epoch end at which `epochs` reach `goal`, or null. */
function timeTo(epochs: EpochStat[], goal: number): number | null {
  return epochs.find((e) => e.testAccuracy >= goal)?.at ?? null;
}

/**
 * Each row of config `c` gets its time to the goal (best peer's final accuracy − margin); returns the goal and the
 * target checks, or null when no peer or no ours row ran, or a system's row was not run (a stopped run: protocol.ts
 * isStopped — a goal and target from the fits that ran would judge without the others). Our fastest row against the fastest peer row, but a row
 * that states a thread count (ours-wasm's threads, jax-wasm's workers) only against rows of the same count (the
 * threads it computes on: targets.ts computeThreads) or of none (ours-webgpu, TF.js webgl): one check per count
 * in the run, each naming the two rows' counts (ours-wasm on 2 threads is not held against jax-wasm on 1 worker;
 * each meets the other's count or a row without one). A run without counted rows has one check.
 */
export function timeToAccuracy(rows: Row[], c: BenchConfig): { goal: number; checks: TargetCheck[] } | null {
  // A stopped run's config with a system that never fitted: its goal and target would come from some of the fits alone.
  if (rows.some((r) => r.config === c.id && isStopped(r))) return null;
  const ran = rows.filter((r) => r.config === c.id && r.status === 'ok' && r.epochs?.length);
  const peers = ran.filter((r) => PEER_SYSTEMS.includes(r.system));
  // Of ours-webgpu's kernel variants (--webgpu-variants) only the 'auto' row (or the only one) stands for ours: targets.ts targetRows.
  const oursAll = rows.filter((r) => r.config === c.id && r.system.startsWith('ours-'));
  const held = new Set([...new Set(oursAll.map((r) => r.system))].flatMap((s) => targetRows(oursAll.filter((r) => r.system === s))));
  const ours = ran.filter((r) => held.has(r));
  if (!peers.length) return null;
  const goal = Math.max(...peers.map(finalAccuracy)) - ACCURACY_MARGIN;
  // A row of several fits: each fit's time, and their median (the target compares medians).
  for (const r of ran) r.timeToAccuracy = r.fits?.length ? medianTime(r.fits.map((f) => (f.timeToAccuracy = timeTo(f.epochs, goal)))) : timeTo(r.epochs!, goal);
  if (!ours.length) return null;
  const fastest = (xs: Row[]): Row => [...xs].sort((a, b) => (a.timeToAccuracy ?? Infinity) - (b.timeToAccuracy ?? Infinity))[0];
  const counts = [...new Set([...ours, ...peers].filter((r) => r.threads !== undefined).map((r) => computeThreads(r)!))].sort((a, b) => a - b);
  const at = (xs: Row[], k: number | undefined): Row[] => xs.filter((r) => k === undefined || r.threads === undefined || computeThreads(r) === k);
  const checks: TargetCheck[] = [];
  const seen: Row[][] = [];
  for (const k of counts.length ? counts : [undefined]) {
    const os = at(ours, k);
    const ps = at(peers, k);
    if (!os.length || !ps.length) continue;
    const o = fastest(os);
    const p = fastest(ps);
    // The same two rows from another count (neither states one): one line.
    if (seen.some(([so, sp]) => so === o && sp === p)) continue;
    seen.push([o, p]);
    const got = o.timeToAccuracy && p.timeToAccuracy ? p.timeToAccuracy / o.timeToAccuracy : o.timeToAccuracy && !p.timeToAccuracy ? Infinity : null;
    checks.push({
      config: c.id, system: o.system, versus: p.system, want: TTA_RATIO, got, met: got !== null && got >= TTA_RATIO, ...(o.variant ? { variant: o.variant } : {}),
      ...pairCounts(computeThreads(o), p.threads), // ours: the threads its net ran on, as checkTargets names them
    });
  }
  return { goal, checks };
}

/**
 * Why config `id` has no goal in an ended run (the Markdown's e section, the page's time-to-goal cell and note): no
 * peer (TF.js, jax-js) fitted it, or each peer's fit erred or disagreed — the goal comes from the peers' fits that ran
 * ok (timeToAccuracy); or the run was stopped before every system fitted it (protocol.ts isStopped: no goal from
 * some of the fits). `short` for a cell, `text` in full. Null where none holds (a peer's fit ran ok: the goal was
 * computed, and left out only because no row of ours ran ok).
 */
export function noGoalWhy(rows: Row[], id: string): { short: string; text: string } | null {
  const peers = rows.filter((r) => r.config === id && PEER_SYSTEMS.includes(r.system) && r.epochs?.length);
  const rule = `the goal is the best peer's final accuracy − ${100 * ACCURACY_MARGIN} point`;
  // A stopped run (the bench page's Stop) before every system fitted: no goal, no target from the fits that ran (timeToAccuracy).
  if (rows.some((r) => r.config === id && isStopped(r))) return { short: 'run stopped', text: `${rule}, and the run was stopped before every system fitted ${id}` };
  if (!peers.length) return { short: 'no peer fitted', text: `${rule}, and no peer (TF.js, jax-js) fitted ${id} in this run` };
  if (peers.every((r) => r.status !== 'ok')) return { short: 'no peer\'s fit ran ok', text: `${rule}, and each peer's fit of ${id} erred or disagreed` };
  return null;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const sec = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${x.toFixed(2)} s`);

/** The Markdown section: per config, one line per system, named by `label` (epoch times, total, accuracy per epoch, time to the goal); `how` the fits ran (report.ts fitsHow). */
export function epochsMarkdown(rows: Row[], configs: { id: string; title: string }[], goals: Record<string, number>, label: (r: Row) => string = systemLabel, how = 'round-robin across the systems (--fits)'): string[] {
  const out: string[] = [];
  for (const c of configs) {
    const rs = rows.filter((r) => r.config === c.id && r.epochs?.length);
    if (!rs.length) continue;
    out.push('', `## Time to accuracy: ${c.id} (${c.title})`, '');
    if (goals[c.id] !== undefined) out.push(`Goal: ${pct(goals[c.id])} test accuracy (the best peer's final accuracy − ${100 * ACCURACY_MARGIN} point); times are epoch ends.`, '');
    // No peer fitted (a run of ours alone), or none's fit ran ok: the goal comes from the peers, so there is none, and no time to it.
    else {
      const why = noGoalWhy(rows, c.id);
      if (why) out.push(`No goal, so no time to it: ${why.text}.`, '');
    }
    const several = rs.filter((r) => (r.fits?.length ?? 0) > 1);
    if (several.length) {
      out.push(`Each system fitted ${several.length === rs.length && new Set(rs.map((r) => r.fits!.length)).size === 1 ? `${rs[0].fits!.length} times` : 'several times'}, ${how}: a row is each epoch's median over its fits; its time to goal is the median of the fits' times (min–max beside it), and the target compares medians.`, '');
    }
    out.push('| system | epoch 1 (compiles incl.) | later epochs (s) | total | epoch-1 loss | test accuracy per epoch | time to goal |', '|---|---:|---|---:|---:|---|---:|');
    for (const r of rs) {
      const e = r.epochs!;
      const later = e.slice(1).map((x, k) => (x.at - e[k].at).toFixed(2)).join(', ');
      out.push(`| ${label(r)} | ${sec(e[0].at)} | ${later || '—'} | ${sec(e[e.length - 1].at)} | ${e[0].loss.toPrecision(6)} | ${e.map((x) => pct(x.testAccuracy)).join(', ')} | ${sec(r.timeToAccuracy)}${fitsSpread(r)} |`);
    }
    if (several.length) {
      out.push('', 'Each fit in the order run (seconds at the end of each epoch; time to goal):', '');
      for (const r of several) out.push(`- ${label(r)}: ${r.fits!.map((f, k) => `fit ${k + 1} ${f.epochs.map((x) => x.at.toFixed(2)).join(', ')} (${sec(f.timeToAccuracy)})`).join(' · ')}`);
    }
    const phased = rs.filter((r) => r.fitPhases?.length);
    if (phased.length) {
      out.push('', `Ours's fit${several.length ? ' (fit 1 of each row)' : ''} in phases (ms; fit's User Timing measures, src/train/timing.ts; epoch 1's remainder is before the fit: the backend, Model.create, setParams):`, '');
      for (const r of phased) out.push(`- ${label(r)}: ${phaseLine(r.fitPhases!)}`);
    }
  }
  return out;
}

/** The phases of a fit's epoch 1: data, trainer, upload, epoch 1 (its batches) and validation 1. */
export function firstEpochPhases(phases: FitPhase[]): FitPhase[] {
  return phases.filter((p) => !/^(epoch|validation) (?!1$)/.test(p.phase));
}

/** data, trainer, upload, epoch 1 and validation 1 as they are; the later epochs' and validation passes' ranges. */
export function phaseLine(phases: FitPhase[]): string {
  const later = (kind: string) => phases.filter((p) => p.phase.startsWith(`${kind} `) && p.phase !== `${kind} 1`).map((p) => p.ms);
  const range = (xs: number[]) => (xs.length ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}` : '');
  const first = firstEpochPhases(phases).map((p) => `${p.phase} ${p.ms.toFixed(1)}`);
  const rest = [['later epochs', later('epoch')], ['later validations', later('validation')]] as const;
  return [...first, ...rest.filter(([, xs]) => xs.length).map(([name, xs]) => `${name} ${range(xs)}`)].join(' · ');
}


/**
 * The time axis of a panel whose last epoch ends at `last` seconds: from 0 to the first multiple of a round step (1, 2
 * or 5 × 10^k, the smallest giving at most 7 intervals) at or past `last`, ticked at every step and labelled with the
 * step's decimals — 0, 2, 4 … 12 s for 10.5 s, where quarters of the last end read 2.6, 5.3, 7.9, 10.5 s.
 */
export function timeAxis(last: number): { end: number; ticks: number[]; decimals: number } {
  // NOTE: at least 1 µs (an end under ~1e-94 s asked toFixed for more than its 100 decimals: a RangeError); none: 1 s.
  const t = last > 0 && Number.isFinite(last) ? Math.max(last, 1e-6) : 1;
  const mag = 10 ** Math.floor(Math.log10(t / 7));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((st) => Math.ceil(t / st - 1e-9) <= 7)!;
  const n = Math.max(1, Math.ceil(t / step - 1e-9));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { end: n * step, ticks: Array.from({ length: n + 1 }, (_, k) => Number((k * step).toFixed(decimals))), decimals };
}

/**
 * Test accuracy vs seconds, one panel per e config, one line per system (a dot per epoch end, and after the last the
 * system's number in the legend, 1 … n: the colours alone told the lines apart), the goal dashed. A
 * config whose every row trained one epoch (a run of --epochs 1; the quick qe trains 2) gets no panel: one dot per system says no more
 * than the epoch table; null when no panel is left. Lines and colours are keyed by systemLabel; `label` is a row's text
 * in the legend and the tooltips (ttaSvg: rowLabel, the kernels `auto` picked).
 */
export function epochsSvg(rows: Row[], configs: { id: string }[], goals: Record<string, number>, title: string, label: (r: Row) => string = systemLabel, env?: string): string | null {
  const panels = configs.map((c) => ({ id: c.id, rs: rows.filter((r) => r.config === c.id && r.epochs?.length) })).filter((p) => p.rs.some((r) => r.epochs!.length > 1));
  if (!panels.length) return null;
  const pw = 420;
  const ph = 260;
  const left = 56;
  const top = 40;
  const systems = [...new Set(panels.flatMap((p) => p.rs.map(systemLabel)))];
  const fewest = fewestCounts(panels.flatMap((p) => p.rs));
  const colors = new Map(panels.flatMap((p) => p.rs.map((r) => [systemLabel(r), rowColor(r, fewest)] as const)));
  const shown = new Map(panels.flatMap((p) => p.rs.map((r) => [systemLabel(r), label(r)] as const)));
  const lx = left + panels.length * (pw + left) - left / 2;
  const width = Math.max(lx + legendWidth(systems.map((sys) => shown.get(sys) ?? sys)) + 8, left + titleWidth(title));
  // The run's environment under the note, wrapped to the chart's width, as the steps/s chart's footer (ttaSvg: envLine).
  const footer = env ? wrapEnv(env, Math.floor((width - left) / 6)) : [];
  const height = top + ph + 50 + 14 * footer.length;
  const s: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  // The footnote names the dashed line only where one is drawn (a run without a peer has no goal).
  const goalDrawn = panels.some((p) => goals[p.id] !== undefined);
  panels.forEach((p, k) => {
    const x0 = left + k * (pw + left);
    const accs = p.rs.flatMap((r) => r.epochs!.map((e) => e.testAccuracy));
    const lo = Math.max(0, Math.floor(Math.min(...accs, goals[p.id] ?? 1) * 20) / 20);
    const axis = timeAxis(Math.max(...p.rs.flatMap((r) => r.epochs!.map((e) => e.at))));
    const X = (t: number): number => x0 + (t / axis.end) * pw;
    const Y = (a: number): number => top + ph - ((a - lo) / (1 - lo)) * ph;
    s.push(`<rect x="${x0}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
    s.push(`<text x="${x0 + pw / 2}" y="${top - 6}" text-anchor="middle" font-weight="bold">${escapeXml(p.id)}</text>`);
    for (let a = lo; a <= 1.0001; a += 0.05) s.push(`<text x="${x0 - 4}" y="${(Y(a) + 4).toFixed(1)}" text-anchor="end">${(100 * a).toFixed(0)}%</text>`);
    for (const t of axis.ticks) s.push(`<text x="${X(t).toFixed(1)}" y="${top + ph + 14}" text-anchor="middle">${t.toFixed(axis.decimals)} s</text>`);
    if (goals[p.id] !== undefined) s.push(`<line x1="${x0}" x2="${x0 + pw}" y1="${Y(goals[p.id]).toFixed(1)}" y2="${Y(goals[p.id]).toFixed(1)}" stroke="#111" stroke-dasharray="6 3"/>`);
    for (const r of p.rs) {
      const color = rowColor(r, fewest);
      const pts = r.epochs!.map((e) => [e.at, e.testAccuracy]).map(([t, a]) => `${X(t).toFixed(1)},${Y(a).toFixed(1)}`);
      s.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"><title>${escapeXml(label(r))}</title></polyline>`);
      for (const e of r.epochs!) s.push(`<circle cx="${X(e.at).toFixed(1)}" cy="${Y(e.testAccuracy).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${label(r)} epoch ${e.epoch}: ${pct(e.testAccuracy)} at ${e.at.toFixed(2)} s`)}</title></circle>`);
      // Its system's number (the legend's) just right of its last dot: the lines are told apart by more than colour.
      const end = r.epochs![r.epochs!.length - 1];
      s.push(`<text x="${(X(end.at) + 5).toFixed(1)}" y="${(Y(end.testAccuracy) + 3).toFixed(1)}" font-size="9">${systems.indexOf(systemLabel(r)) + 1}</text>`);
    }
  });
  systems.forEach((sys, k) => {
    s.push(`<rect x="${lx}" y="${top + k * 18}" width="12" height="12" fill="${colors.get(sys) ?? '#777777'}"/>`, `<text x="${lx + 18}" y="${top + k * 18 + 10}">${escapeXml(shown.get(sys) ?? sys)}</text>`,
      `<text x="${lx - 4}" y="${top + k * 18 + 10}" text-anchor="end" font-size="9">${k + 1}</text>`);
  });
  const note = top + ph + 40;
  s.push(`<text x="${left}" y="${note}" fill="#555">test accuracy vs seconds since the start (epoch 1 includes compiles)${goalDrawn ? '; dashed: the goal' : ''}</text>`);
  footer.forEach((line, k) => s.push(`<text x="${left}" y="${note + 14 * (k + 1)}" fill="#555">${escapeXml(line)}</text>`));
  s.push('</svg>');
  return `${s.join('\n')}\n`;
}
