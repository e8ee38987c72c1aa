// Preloaded (`node --import`) into each vitest process that `npm test` starts (test/run-suite.ts). They run in process
// groups of their own, so a SIGKILL of the runner or of its group (a CI harness's timeout) does not reach them: they
// ran on, orphaned, to their end. Once the runner is gone (this process has another parent), this ends the run as a
// SIGTERM from the runner would (vitest closes its workers and its Chromium), and kills the group 15 s later if that
// did not end it.
// The runner's pid as it gave it (RUN_SUITE_PID), not process.ppid as this loads: a runner gone in the ~100 ms before
// would have left its successor's pid there, and the watch would never fire.
const runner = Number(process.env.RUN_SUITE_PID) || process.ppid;
const watch = setInterval(() => {
  if (process.ppid === runner) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.kill(-process.pid, 'SIGKILL'), 15_000).unref();
}, 500);
watch.unref();
