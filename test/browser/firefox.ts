/**
 * Firefox for the browser tests that check a second engine: Gecko's layout and SpiderMonkey's wasm, and — with its
 * WebGPU switched on — wgpu's WebGPU (naga compiles our WGSL, where Chromium's Tint does; on a machine without a GPU,
 * Mesa's lavapipe, a CPU Vulkan). The finder and launcher are src/node/firefox.ts's (the bench's `--browser firefox`
 * uses them too; see its NOTE on WebGPU's pref). Each file launches its own Firefox (one BiDi session a browser)
 * against the project's Vite server.
 */
import { findFirefox, NO_FIREFOX } from '../../src/node/firefox.ts';

export { type FirefoxOptions, findFirefox, launchFirefox } from '../../src/node/firefox.ts';

/**
 * Why the Firefox files are skipped here, or undefined when they run. CI sets REQUIRE_FIREFOX=1 (.ci/run installs
 * firefox-esr), where a missing Firefox throws instead: a skip there would hide that the second engine went unchecked.
 */
export function firefoxSkipReason(): string | undefined {
  if (findFirefox()) return undefined;
  if (process.env.REQUIRE_FIREFOX === '1') throw new Error(`REQUIRE_FIREFOX=1 but ${NO_FIREFOX}`);
  return NO_FIREFOX;
}
