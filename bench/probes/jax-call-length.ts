/**
 * bench/jax.ts's jax-wasm trainer in plain Node (jax-js's wasm backend runs there without a worker pool: on the
 * calling thread, as jax-wasm with 0 workers on the page): ms a step against the steps a call, best of 3 calls each.
 * Flat with the waits every JAX_WAIT_EVERY steps; without them (issued unwaited, then one wait) it grew with the
 * call's length (README, "Against jax-js and TF.js webgl", the NOTE on a against jax-js wasm on its main thread).
 *
 *   node --import ./bin/register-source.mjs bench/probes/jax-call-length.ts [config] [counts]    # a 10,50,200,557,2000
 */
import { CONFIG_A, materialize, selectConfigs } from '../configs.ts';
import { jaxTrainer } from '../jax.ts';

// loadJax shows jax-js a navigator.hardwareConcurrency while it loads; Node 20 has no navigator.
(globalThis as { navigator?: object }).navigator ??= {};
const name = process.argv[2] ?? 'a';
const c = name === 'a' ? CONFIG_A : selectConfigs([name])[0];
const counts = (process.argv[3] ?? '10,50,200,557,2000').split(',').map(Number);
const t = await jaxTrainer(0, 'wasm', c, materialize(c));
await t.train(20);
const line: string[] = [];
for (const n of counts) {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await t.train(n);
    best = Math.min(best, (performance.now() - t0) / n);
  }
  line.push(`${n}: ${best.toFixed(3)} ms`);
}
console.log(`${c.id} jax-wasm (Node, no pool), ms a step by steps a call: ${line.join(', ')}`);
t.dispose();
