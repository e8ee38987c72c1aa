/**
 * `npm test`'s runner, after the type check (`node --import ./bin/register-source.mjs test/run-suite.ts ARGS`):
 * vitest's two projects as two vitest processes at once where the arguments allow it (test/lib/suite-plan.ts), else
 * one `vitest run ARGS`.
 *
 * NOTE: in one vitest process the browser files never run beside the node files: vitest 4.1 puts a project whose
 * files run one after another (fileParallelism false) in a group of its own that starts once every other file has
 * ended (groupSpecs in node_modules/vitest/dist/chunks/cli-api.*.js; one process cannot give two projects of a group
 * different worker counts either), and a browser file keeps about one core busy (SwiftShader, the page, the test), so
 * on a 2-core machine one core idled for the 380–470 s the browser files took (three full runs, 2026-12-06). Two
 * processes fill it: the quiet clean-clone CI took 7 min 52 s against 10 min 26 s (this 2-core machine, 2026-12-06).
 * The node project runs at a lower priority: the browser files are the longer part, and at the same priority they
 * took 575 s beside the node files against 383–474 s alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, constants, setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeReports, planSuite, type SuiteReport } from './lib/suite-plan.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Preloaded into each vitest process: it ends its run once this runner is gone (test/lib/exit-with-runner.mjs). */
const WITH_RUNNER = new URL('./lib/exit-with-runner.mjs', import.meta.url).href;
/** vitest's entry; `RUN_SUITE_VITEST` names another script in its place (test/run-suite.test.ts's signal checks). */
const VITEST = process.env.RUN_SUITE_VITEST ?? fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const running: ChildProcess[] = [];

/**
 * `vitest run` with `args`; its lines prefixed with `tag` where given (two processes share the terminal, colours kept
 * on a terminal); `nice`: at that lower priority, with the workers it forks (set before it forks them). Each in a
 * process group of its own (`detached`), so that a signal reaches it once, from this runner (below); no stdin, which a
 * process outside the terminal's foreground group must not read.
 */
function vitest(args: string[], tag?: string, nice = 0): Promise<number> {
  const env = { ...process.env, RUN_SUITE_PID: String(process.pid), ...(tag && process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) };
  const child = spawn(process.execPath, ['--import', WITH_RUNNER, VITEST, 'run', ...args], { cwd: ROOT, env, detached: true, stdio: tag ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'] });
  running.push(child);
  if (nice && child.pid !== undefined) {
    try {
      setPriority(child.pid, nice);
    } catch {
      // Not allowed here (some containers): the same processes at the same priority.
    }
  }
  if (tag) {
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      if (from) createInterface({ input: from }).on('line', (line) => to.write(`${tag} ${line}\n`));
    }
  }
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1))));
}

// A signal to this runner goes on to the vitest processes, once, and the runner waits for them to end their runs (and
// the browser's Chromium), passing their last lines on, and exits as stopped: SIGINT (Ctrl-C, or `kill -INT PID`),
// SIGTERM and SIGHUP (a supervisor's, a closed terminal's). NOTE: the vitest processes are in process groups of their
// own because a second SIGINT makes vitest stop at once, without its clean-up: in the terminal's group, Ctrl-C reached
// them from the terminal and again from here; and a SIGINT sent to this runner alone had stopped nothing (the runs went
// on to their end) while it was not passed on. Out of this runner's group, a SIGKILL of the runner or its group does not
// reach them: each ends its run once the runner is gone (test/lib/exit-with-runner.mjs, preloaded).
let stopped: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopped ??= signal;
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

const plan = planSuite(process.argv.slice(2), availableParallelism());
let code: number;
if (plan.processes === 1) {
  code = await vitest(plan.args);
} else {
  // The files as vitest, in ROOT, resolves them (a relative FILE given from another folder).
  const report = plan.report === undefined ? undefined : resolve(ROOT, plan.report);
  const parts = report === undefined ? [] : ['node', 'browser'].map((p) => `${report}.${p}.json`);
  for (const f of parts) rmSync(f, { force: true });
  const codes = await Promise.all([vitest(plan.node, '[node]   ', 10), vitest(plan.browser, '[browser]')]);
  code = codes.find((c) => c !== 0) ?? 0;
  if (report !== undefined) {
    const reports: SuiteReport[] = [];
    for (const f of parts) {
      try {
        if (existsSync(f)) reports.push(JSON.parse(readFileSync(f, 'utf8')) as SuiteReport);
      } catch (err) {
        console.error(`run-suite: ${f} is no JSON report (${err instanceof Error ? err.message : String(err)})`);
      }
      rmSync(f, { force: true });
    }
    if (reports.length) writeFileSync(report, JSON.stringify(mergeReports(reports)));
    if (reports.length < 2) {
      console.error(reports.length === 1
        ? `run-suite: one of the two projects wrote no JSON report; ${report} counts the other's tests only`
        : `run-suite: neither project wrote a JSON report; no ${report}`);
      code ||= 1;
    }
  }
}
process.exitCode = stopped ? 128 + (constants.signals[stopped] ?? 0) : code;
