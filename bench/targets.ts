/**
 * What a run's rows are compared by: each row's ratios against the peers (ratios, the peer row of the same thread
 * count: peerRowOf) and the issues' targets over them (checkTargets), with the rows they count (targetRows) and the
 * thread counts they pair (computeThreads, pairCounts). The rows come from bench/protocol.ts (measureConfig, agree).
 */
import type { BenchConfig } from './configs.ts';
import { isStopped, type Row } from './protocol.ts';
import { PEER_SYSTEMS, type SystemId, type WebGpuVariant } from './systems.ts';

/**
 * The peer row a row's ratio is taken against (same config, with a steps/s): a row that states a thread count
 * (ours-wasm threads, jax-wasm workers, TF.js wasm threads) only against a peer row that computes on the same count,
 * or one that states none (a GPU or CPU peer); a row that states none (ours-webgpu, ours-cpu) against the peer rows
 * that compute on the fewest threads (jax-wasm's 1-worker row beside its 2-worker one) — its count goes to
 * row.ratioThreads, and the tables say it. Of several such rows, the fastest: jax-wasm on 0 workers (its main
 * thread) and on 1 worker both compute on one thread (--jax-wasm-workers 1,0), and the slower would favour ours. A peer
 * row whose status is not 'ok' (it disagreed with the reference) is never the yardstick.
 */
function peerRowOf(rows: Row[], r: Row, peer: SystemId): Row | undefined {
  // Only a peer row that ran and agreed: a fast row that did not (agree marks it 'wrong', its steps/s kept) is no yardstick.
  const peers = rows.filter((x) => x.config === r.config && x.system === peer && x.status === 'ok' && x.stepsPerSec && x !== r);
  const fastest = (xs: Row[]): Row | undefined => xs.reduce<Row | undefined>((best, x) => (!best || x.stepsPerSec! > best.stepsPerSec! ? x : best), undefined);
  if (r.threads !== undefined) return fastest(peers.filter((x) => computeThreads(x) === computeThreads(r))) ?? fastest(peers.filter((x) => x.threads === undefined));
  const fewest = Math.min(...peers.map((x) => computeThreads(x) ?? 0));
  return fastest(peers.filter((x) => (computeThreads(x) ?? 0) === fewest));
}

/**
 * The threads a row computes on. jax-wasm with 0 workers (no SharedArrayBuffer: a page not cross-origin isolated)
 * has no worker pool and runs each kernel whole on the calling thread, the page's main thread (jax-js 0.1.25's
 * WasmBackend.dispatch without a pool), so it computes on one thread, as ours-wasm on 1 thread does (the calling
 * thread included); with n workers its kernels are split across them (the main thread waits): n. An ours-wasm row
 * whose net is under THREAD_MIN_WORK computes on its netThreads (1), not its backend's threads.
 */
export function computeThreads(r: Pick<Row, 'system' | 'threads' | 'netThreads'>): number | undefined {
  if (r.system === 'jax-wasm' && r.threads === 0) return 1;
  // ours-wasm's net under THREAD_MIN_WORK runs on 1 thread whatever its backend has (the row's netThreads).
  return r.threads !== undefined && r.netThreads !== undefined ? Math.min(r.threads, r.netThreads) : r.threads;
}

/** Each row's steps/s over each peer's (TF.js's and jax-js's backends) on the same config (peerRowOf). */
export function ratios(rows: Row[]): void {
  for (const r of rows) {
    if (!r.stepsPerSec) continue;
    const out: Partial<Record<SystemId, number>> = {};
    const against: Partial<Record<SystemId, number>> = {};
    for (const peer of PEER_SYSTEMS) {
      const base = peerRowOf(rows, r, peer);
      if (!base) continue;
      out[peer] = r.stepsPerSec / base.stepsPerSec!;
      if (base.threads !== undefined) against[peer] = base.threads;
    }
    r.ratios = out;
    if (Object.keys(against).length) r.ratioThreads = against;
    else delete r.ratioThreads;
  }
}

/** The targets, checked on one run's rows. */
export interface TargetCheck {
  config: string;
  system: SystemId;
  versus: SystemId;
  want: number;
  got: number | null;
  met: boolean;
  /** Both sides' thread count (wasm rows of the same count). */
  threads?: number;
  /** The peer row's count when only it states one (ours-webgpu vs jax-wasm's 1-worker row), or when the two differ (ours-wasm 1 thread vs jax-wasm 0 workers, its main thread). */
  versusThreads?: number;
  /** Our row's count where the peer's is another (ours-wasm 1 thread vs jax-wasm 0 workers) or none (config e's time to accuracy: ours-wasm on 2 threads vs TF.js webgl). */
  systemThreads?: number;
  /** ours-webgpu's kernel variant of the row held to it, in a run of variants: 'auto' (targetRows). */
  variant?: WebGpuVariant;
}

/**
 * The rows of one config and system that are held to the targets: all of them, but of ours-webgpu's kernel
 * variants (--webgpu-variants) only the 'auto' row — the engine's own choice, what a user gets — or the only row; a
 * run of several variants without 'auto' holds none of them to a target (the variants are compared with each other).
 */
export function targetRows(rows: Row[]): Row[] {
  if (rows.length < 2 || rows.every((r) => r.variant === undefined)) return rows;
  return rows.filter((r) => r.variant === 'auto');
}

/**
 * A target line's counts, for a–d (checkTargets) and e (epochs.ts timeToAccuracy) alike: both rows' where they are the
 * same, else each side's that states one (`ours-wasm (1 thread) vs jax-wasm (vs 0 workers: its main thread)`).
 */
export function pairCounts(own: number | undefined, versus: number | undefined): Pick<TargetCheck, 'threads' | 'systemThreads' | 'versusThreads'> {
  if (own !== undefined && own === versus) return { threads: own };
  return { ...(own !== undefined ? { systemThreads: own } : {}), ...(versus !== undefined ? { versusThreads: versus } : {}) };
}

export function checkTargets(all: Row[], configs: BenchConfig[]): TargetCheck[] {
  // A row a stopped run did not run (protocol.ts isStopped) is as a system not in the run: no target line from it.
  const rows = all.filter((r) => !isStopped(r));
  const out: TargetCheck[] = [];
  for (const c of configs) {
    if (!['a', 'b', 'c', 'd'].includes(c.group)) continue;
    // Issue 14's peers: a, ours-webgpu ≥ 1000× every peer; b–d, ≥ 2× TF.js webgl and jax-js webgpu.
    const pairs: [SystemId, SystemId, number][] = c.group === 'a'
      ? [['ours-webgpu', 'tfjs-webgpu', 1000], ['ours-cpu', 'tfjs-cpu', 100],
        ['ours-webgpu', 'tfjs-webgl', 1000], ['ours-webgpu', 'jax-webgpu', 1000], ['ours-webgpu', 'jax-wasm', 1000]]
      : [['ours-webgpu', 'tfjs-webgpu', 5], ['ours-cpu', 'tfjs-cpu', 2], ['ours-webgpu', 'tfjs-webgl', 2], ['ours-webgpu', 'jax-webgpu', 2],
        // Issue 10: ours-wasm ≥ 3× TF.js wasm and ≥ 1.25× jax-js wasm (at the same thread count: --ours-wasm-threads N
        // with --jax-wasm-workers N and --tfjs-wasm-threads N; each row states its count).
        ['ours-wasm', 'tfjs-wasm', 3], ['ours-wasm', 'jax-wasm', 1.25]];
    for (const [system, versus, want] of pairs) {
      if (!rows.some((x) => x.config === c.id && x.system === versus)) continue;
      for (const r of targetRows(rows.filter((x) => x.config === c.id && x.system === system))) {
        // A row with a thread count is held to a target only against a peer row of the same count: ours-wasm on 2
        // threads beside TF.js wasm on 1 thread only has no ratio against it (peerRowOf) and no target.
        const peers = rows.filter((x) => x.config === c.id && x.system === versus);
        if (r.threads !== undefined && peers.every((x) => x.threads !== undefined && computeThreads(x) !== computeThreads(r))) continue;
        const got = r.ratios?.[versus] ?? null;
        // Each side's count where they differ, as config e's lines (the line named only the peer's: `ours-wasm vs jax-wasm (vs 0 workers …)`);
        // ours the threads its net ran on (computeThreads: 1 where a net too small to split had 2 asked, as its row says).
        const count = pairCounts(computeThreads(r), r.ratioThreads?.[versus]);
        out.push({ config: c.id, system, versus, want, got, met: got !== null && got >= want && r.status === 'ok', ...count, ...(r.variant ? { variant: r.variant } : {}) });
      }
    }
  }
  return out;
}
