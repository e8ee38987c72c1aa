#!/usr/bin/env node
/**
 * `npm test`'s runner, after the type check: vitest's two projects as two vitest processes at once — the node files
 * on all cores but one, the browser files one after another on one shared Chromium beside them.
 *
 * NOTE: in one vitest process the browser files never run beside the node files: vitest 4.1 puts a project whose
 * files run one after another (fileParallelism false) in a group of its own that starts once every other file has
 * ended (groupSpecs in node_modules/vitest/dist/chunks/cli-api.*.js), and a browser file keeps about one core busy
 * (SwiftShader, the page, the test), so on a 2-core machine one core idled for the 380–470 s the browser files took
 * (three full runs, 2026-12-06). Two processes fill it.
 *
 * Arguments go to both processes. A JSON report (`--outputFile.json=FILE` or `--outputFile=FILE`, as .ci/run
 * passes) is written by each to FILE.node.json and FILE.browser.json and merged into FILE: the counts summed, the
 * files' results one list. Given anything but `--` options (a file filter: `npm test -- test/train.test.ts`), one
 * vitest process runs as `vitest run` would, since a filter that names a node file finds no browser file.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const VITEST = ['node_modules/vitest/vitest.mjs', 'run'];

/**
 * Runs vitest with `extra` after `args`; lines prefixed with `tag` where given (two processes share the terminal).
 * `nice`: at a lower priority, its workers and what they start too (set before vitest forks them).
 */
function vitest(extra, tag, nice = 0) {
  const child = spawn(process.execPath, [...VITEST, ...extra], { stdio: tag ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (nice) {
    try {
      setPriority(child.pid, nice);
    } catch {
      // Not allowed here (some containers): the same processes at the same priority.
    }
  }
  if (tag) {
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      createInterface({ input: from }).on('line', (line) => to.write(`${tag} ${line}\n`));
    }
  }
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** The JSON report's file, if one is asked for, and the arguments without it. */
function reportFile(list) {
  let file;
  const rest = list.filter((a) => {
    const m = /^--outputFile(?:\.json)?=(.+)$/.exec(a);
    if (m) file = m[1];
    return !m;
  });
  return { file, rest };
}

/** One report from the two projects' (vitest's JSON reporter: counts, success, testResults). */
function merge(parts) {
  const out = { ...parts[0], testResults: [] };
  for (const key of Object.keys(out)) if (key.startsWith('num')) out[key] = 0;
  for (const p of parts) {
    for (const [key, value] of Object.entries(p)) if (key.startsWith('num') && typeof value === 'number') out[key] += value;
    out.testResults.push(...p.testResults);
    out.startTime = Math.min(out.startTime, p.startTime);
    out.success = out.success && p.success;
  }
  return out;
}

if (args.some((a) => !a.startsWith('--'))) {
  process.exitCode = await vitest(args);
} else {
  const { file, rest } = reportFile(args);
  const json = (project) => (file ? [`--outputFile.json=${file}.${project}.json`] : []);
  const nodeWorkers = Math.max(1, availableParallelism() - 1);
  const children = [
    // NOTE: the browser files are the longer part (their SwiftShader work on about one core, one file at a time); the
    // node files, at a lower priority, take what they leave. At the same priority each slowed the other: in the first
    // full run this way (2026-12-06, a helper's tests alongside) the browser files took 575 s against 383–474 s alone.
    vitest(['--project', 'node', `--maxWorkers=${nodeWorkers}`, ...rest, ...json('node')], '[node]   ', 10),
    vitest(['--project', 'browser', ...rest, ...json('browser')], '[browser]'),
  ];
  const codes = await Promise.all(children);
  if (file) {
    const parts = ['node', 'browser'].map((p) => `${file}.${p}.json`).filter((f) => existsSync(f));
    if (parts.length) writeFileSync(file, JSON.stringify(merge(parts.map((f) => JSON.parse(readFileSync(f, 'utf8'))))));
    if (parts.length < 2) console.error(`run-suite: ${2 - parts.length} of the two projects wrote no JSON report`);
    for (const f of parts) rmSync(f);
  }
  process.exitCode = codes.find((c) => c !== 0) ?? 0;
}
