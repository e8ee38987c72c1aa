/**
 * What a turn of the event loop costs on the bench page in headless Chromium: the mean ms of 40 awaited turns each,
 * chained as fit's loop chains them (each awaited from the previous one's task) — setTimeout(0), a MessageChannel
 * message, and fit's `tick` (src/train/fit.ts). HTML clamps a timer set from inside a timer's task to 4 ms or more
 * from the fifth nesting on (README, fit's `signal` paragraph).
 *
 *   node --import ./bin/register-source.mjs bench/probes/timer-turn.ts
 */
import { launchChromium } from '../../src/node/chromium.ts';
import { BENCH_PAGE, startBenchServer } from '../server.ts';

const served = await startBenchServer();
const browser = await launchChromium({ args: [] });
try {
  const page = await browser.newPage();
  await page.goto(new URL(BENCH_PAGE, served.url).href);
  // A string, not a function: the page imports fit.ts through the bench server (Vite).
  const ms = await page.evaluate(`(async () => {
    const { tick } = await import('/src/train/fit.ts');
    const timeout = () => new Promise((resolve) => setTimeout(resolve, 0));
    const message = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
      channel.port2.postMessage(null);
    });
    const mean = async (turn) => {
      const t0 = performance.now();
      for (let k = 0; k < 40; k++) await turn();
      return (performance.now() - t0) / 40;
    };
    return { 'setTimeout(0)': await mean(timeout), 'MessageChannel': await mean(message), 'tick': await mean(tick) };
  })()`) as Record<string, number>;
  for (const [turn, t] of Object.entries(ms)) console.log(`${turn.padEnd(16)} ${t.toFixed(3)} ms a turn`);
} finally {
  await browser.close();
  await served.close();
}
