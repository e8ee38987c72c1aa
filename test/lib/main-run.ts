/**
 * The CLI run in process: main's exit status and what it wrote to stdout and stderr (both captured, then let go).
 */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/** main's exit status and what it wrote to stdout and stderr. */
export async function mainRun(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const [out, err]: string[][] = [[], []];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => err.push(String(s)) > 0);
  const status = await main(argv);
  vi.restoreAllMocks();
  return { status, out: out.join(''), err: err.join('') };
}
