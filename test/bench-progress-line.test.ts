/**
 * `npm run bench`'s progress line and the lines written beside it (bench/bench.ts Progress.line: the stopped page's
 * line, the --tfjs-wasm-threads warning, the data notes): on a terminal the progress line is redrawn in place
 * (`\r`, clear to the end of the line), so a line written after it must clear it first, or the two run together
 * ("[0:12] e-sgd tfjs-webgl …the bench page's run was stopped …"). Off a terminal (a log file) the progress lines are
 * whole lines already. Expected writes spelled out from the ANSI sequences: `\r` back to column 0, `ESC [ K` clear.
 */
import { describe, expect, it } from 'vitest';
import { Progress } from '../bench/bench.ts';

function stream(isTTY: boolean): { writes: string[]; s: NodeJS.WriteStream } {
  const writes: string[] = [];
  const s = { isTTY, columns: 80, write: (t: string) => writes.push(t) > 0 } as unknown as NodeJS.WriteStream;
  return { writes, s };
}

describe('Progress.line: a line of its own beside the progress line', () => {
  it('on a terminal: the progress line cleared, then the line and a newline', () => {
    const { writes, s } = stream(true);
    const p = new Progress(false, s);
    p.show('loading the bench page');
    p.line('the bench page\'s run was stopped (Stop pressed)');
    expect(writes).toEqual(['\r\x1b[K[0:00] loading the bench page', '\r\x1b[K', 'the bench page\'s run was stopped (Stop pressed)\n']);
  });

  it('in a log file: the line alone after the whole progress line; written when quiet too (the caller decides)', () => {
    const { writes, s } = stream(false);
    const p = new Progress(false, s);
    p.show('loading the bench page');
    p.line('a note');
    expect(writes).toEqual(['[0:00] loading the bench page\n', 'a note\n']);
    const q = stream(true);
    new Progress(true, q.s).line('stopped');
    expect(q.writes).toEqual(['stopped\n']);
  });
});
