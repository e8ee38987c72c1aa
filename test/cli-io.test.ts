/**
 * The CLI's small readers and writers (src/cli/io.ts): JSON error offsets, paths, integer flags, byte-order marks,
 * the inputs a rerun needs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InputError, inputsForRerun, integerFlag, jsonErrorOffset, readJsonFile, shellPath, within } from '../src/cli/io.ts';
import { Model } from '../src/model.ts';
import { runCheck } from '../src/cli/check.ts';
import { dir } from './lib/cli-run.ts';

describe('jsonErrorOffset', () => {
  it('finds the offending character even where V8 gives no position', () => {
    expect(jsonErrorOffset('{"a": x}')).toBe(6);
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a":1,}')).toBe(7);
    expect(jsonErrorOffset('{"a": 1} 2')).toBe(9);
  });
});

describe('within, shellPath (review mutants5)', () => {
  it('within: the parent folder is not inside; a folder named ..x inside is', () => {
    expect(within('/a/b', '/a')).toBe(false); // relative() is '..' exactly
    expect(within('/a/b', '/a/b/..x')).toBe(true); // relative() is '..x'
    expect(within('/a/b', '/a/b/..x/y')).toBe(true);
    expect(within('/a/b', '/a/c')).toBe(false);
  });

  it('shellPath: the working folder itself is named absolute, not as an empty word', () => {
    expect(shellPath(process.cwd())).not.toBe("''");
  });

  it('shellPath: a path outside the working folder with a space or a quote is quoted for a shell', () => {
    expect(shellPath('/no-such-root/a b/c.json')).toBe("'/no-such-root/a b/c.json'");
    expect(shellPath("/no-such-root/it's/c.json")).toBe("'/no-such-root/it'\\''s/c.json'");
  });
});

describe('integerFlag at 2⁵³ − 1 (review mutants5)', () => {
  it('2⁵³ − 1 itself past a smaller maximum is refused without "past the largest"', () => {
    let message = '';
    try {
      integerFlag('threads', '9007199254740991', 1, 64);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe("--threads must be an integer 1 … 64, got '9007199254740991'");
  });

  it('past 2⁵³ − 1, a flag with a smaller maximum names only its own range (--seed is 0 … 2³² − 1, not 2⁵³ − 1)', () => {
    const refusal = (name: string, max: number): string => {
      try {
        integerFlag(name, '99999999999999999999', 0, max);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('seed', 4294967295)).toBe("--seed must be an integer 0 … 4294967295, got '99999999999999999999'");
    expect(refusal('threads', 64)).toBe("--threads must be an integer 0 … 64, got '99999999999999999999'");
  });
});

describe('readJsonFile: only a leading byte-order mark is skipped (review mutants5)', () => {
  it('a U+FEFF inside a string value is kept', () => {
    const file = join(dir, 'inner-bom.json'); // test/lib/cli-run.ts's temporary folder
    writeFileSync(file, '{"a": "\uFEFFx"}');
    expect(readJsonFile(file)).toEqual({ a: '\uFEFFx' });
  });
});

describe('readJsonFile on a checkpoint (train --save\'s file given back as the spec)', () => {
  it('says it is a safetensors checkpoint, not a spec, and where one is loaded; a truncated one is bad JSON as before', async () => {
    // Before: "not valid JSON at line 1, column 1 (position 0): Unexpected token '\uFFFD'" (the header's length bytes).
    const model = await Model.create({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 } }, { backend: 'cpu' });
    const bytes = await model.save();
    model.dispose();
    const file = join(dir, 'run.ckpt');
    writeFileSync(file, bytes);
    // Deliberately changed (cli48): "…, not a spec file; the commands read a spec file; train --resume …" said the
    // spec file twice.
    expect(() => readJsonFile(file)).toThrow(new InputError(`${file}: not valid JSON: a safetensors checkpoint (as train --save writes), not a spec file; `
      + `train --resume ${file} continues the checkpoint's run, and Model.load loads it (README: Checkpoints)`));
    // check reads worked-example files, not spec files: it says so (it said "not a spec file; the commands read a spec file").
    await expect(runCheck([file], { backend: 'scalar', knownOk: false, errataMd: false, json: false }, () => {})).rejects
      .toThrow(new InputError(`${file}: not valid JSON: a safetensors checkpoint (as train --save writes), not a worked-example file; `
        + `train --resume ${file} continues the checkpoint's run, and Model.load loads it (README: Checkpoints)`));
    // A caller's own hint (the bench's --spec: bench/own-net.ts), or none.
    expect(() => readJsonFile(file, { checkpointHint: 'give a spec' })).toThrow(new InputError(`${file}: not valid JSON: a safetensors checkpoint (as train --save writes), not a spec file; give a spec`));
    expect(() => readJsonFile(file, { checkpointHint: '' })).toThrow(new InputError(`${file}: not valid JSON: a safetensors checkpoint (as train --save writes), not a spec file`));
    const cut = join(dir, 'cut.ckpt');
    writeFileSync(cut, bytes.subarray(0, 40));
    expect(() => readJsonFile(cut)).toThrow(/^.*cut\.ckpt: not valid JSON at line 1, column 1 \(position 0\)/);
  });
});

describe('inputsForRerun (review mutants5)', () => {
  it.skipIf(process.platform === 'win32')('a FIFO read once is copied to a private regular file, a regular file is not; cleanup removes the copy', () => {
    const text = JSON.stringify({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const plain = join(dir, 'rerun-plain.json');
    writeFileSync(plain, text);
    expect(readJsonFile(plain)).toEqual(JSON.parse(text));
    expect(inputsForRerun().env).toEqual({}); // only regular files read so far: nothing to copy
    const fifo = join(dir, 'rerun-spec.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', 'printf %s "$1" > "$2"', 'sh', text, fifo], { stdio: 'ignore' });
    expect(readJsonFile(fifo)).toEqual(JSON.parse(text));
    writer.unref();
    const { env, cleanup } = inputsForRerun();
    const copies = JSON.parse(env.BACKPROP_RERUN_INPUTS!) as Record<string, string>;
    expect(Object.keys(copies)).toEqual([fifo]);
    const copy = copies[fifo]!;
    expect(statSync(copy).isFile()).toBe(true);
    expect(statSync(copy).mode & 0o777).toBe(0o600); // the spec may be private: not readable by others
    expect(readFileSync(copy, 'utf8')).toBe(text);
    cleanup();
    expect(existsSync(copy)).toBe(false);
  });
});

describe('readJsonFile on a pipe holds about what it read', () => {
  it.skipIf(process.platform === 'win32')('4 MB through a FIFO (64 KiB a read): the chunks at the concat hold the bytes read, not a 1 MiB buffer per read', () => {
    const text = JSON.stringify({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', description: 'x'.repeat(4e6) });
    const file = join(dir, 'pipe-big.json');
    writeFileSync(file, text);
    const fifo = join(dir, 'pipe-big.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      expect((readJsonFile(fifo) as { description: string }).description.length).toBe(4e6);
      const held = concat.mock.calls.map(([list]) => list.reduce((sum, chunk) => sum + chunk.buffer.byteLength, 0));
      expect(held.length).toBe(1);
      expect(held[0]).toBeLessThan(text.length + 2 ** 20); // it held 64 MiB: a fresh 1 MiB buffer for every read
    } finally {
      concat.mockRestore();
      writer.unref();
    }
  });
});
