/**
 * bench/page/table.ts envBlock's isolation line at its edges (mut63): a browser with neither WebAssembly nor
 * SharedArrayBuffer on an isolated page has no wasm threads to miss, so the line says only that the page is isolated;
 * a page that is not isolated and recorded no wasm system's count says so without an empty list.
 */
import { describe, expect, it } from 'vitest';
import type { RunEnv } from '../bench/labels.ts';
import { envBlock } from '../bench/page/table.ts';

const page: RunEnv = { runner: 'browser', browser: 'Safari/60.5', cpu: { model: 'unknown (a page cannot see it)', cores: 2 } };

describe('envBlock: the isolation line', () => {
  it('isolated, no WebAssembly and no SharedArrayBuffer: "cross-origin isolated", no word of wasm threads', () => {
    const block = envBlock({ ...page, crossOriginIsolated: true }, undefined, false, false);
    // The no-WebAssembly line follows (which systems cannot run).
    expect(block).toContain(' · cross-origin isolated · no WebAssembly');
    expect(block).not.toMatch(/SharedArrayBuffer|wasm threads|header/);
  });

  it('not isolated, no wasm system recorded: "so no wasm threads (npm run preview …)", no colon before an empty list', () => {
    const block = envBlock({ ...page, crossOriginIsolated: false });
    expect(block).toContain(' · NOT cross-origin isolated, so no wasm threads (npm run preview sends the COOP/COEP headers that allow them)');
    // Isolated, no SharedArrayBuffer, nothing recorded: the same, in its own words.
    expect(envBlock({ ...page, crossOriginIsolated: true }, undefined, true, false)).toMatch(/ · cross-origin isolated, but the browser offers no SharedArrayBuffer here, so no wasm threads \(no header changes that\)$/);
  });
});
