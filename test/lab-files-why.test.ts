/**
 * Why the loss curve's files are off, shown on the page (src/lab/device-panel.ts updateButtons, #files-why): found on
 * an emulated iPad Mini (puppeteer, touch only) — a tap on "Loss curve CSV" before any training did nothing, and the
 * reason, "no loss curve yet: Update, Train or Fit first", was the button's title, read on hover alone. Now the same
 * words are a line under the Files buttons while the buttons are off, and the line is empty once there is a curve.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { updateButtons } from '../src/lab/device-panel.ts';
import { page } from '../src/lab/page.ts';
import type { LabSession } from '../src/lab/session.ts';
import { devicePage } from './lib/device-page.ts';

describe('the Files line says why the loss curve files are off', () => {
  const el = devicePage({ adapter: { available: false, reason: 'none here' }, session: null, gpu: null });
  const session = (history: number[]): LabSession => ({ stage: 'none', pass: null, history, verifyAgainst: () => 'wasm' }) as unknown as LabSession;

  it('no net: the buttons off and the line says why', () => {
    updateButtons();
    expect([el('export-csv').disabled, el('export-png').disabled]).toEqual([true, true]);
    expect(el('files-why').textContent).toBe('Loss curve CSV and PNG: no loss curve yet: Update, Train or Fit first.');
  });

  it('a net with no curve yet: the same; one step trained: the buttons on and the line empty', () => {
    Object.assign(page, { session: session([]) });
    updateButtons();
    expect(el('export-csv').disabled).toBe(true);
    expect(el('files-why').textContent).toBe('Loss curve CSV and PNG: no loss curve yet: Update, Train or Fit first.');
    Object.assign(page, { session: session([0.27]) });
    updateButtons();
    expect([el('export-csv').disabled, el('export-png').disabled]).toEqual([false, false]);
    expect(el('files-why').textContent).toBe('');
    expect(el('export-csv').title).toBe('');
  });

  it("index.html has the line, right under the Files buttons", () => {
    const html = readFileSync(new URL('../src/lab/index.html', import.meta.url), 'utf8');
    expect(html).toMatch(/id="export-png"[^\n]*\n\s*<\/div>\n(\s*<!--[^\n]*-->\n)?\s*<p id="files-why" class="hint"><\/p>/);
  });
});
