/**
 * The CLI's small readers and writers (src/cli/io.ts): JSON error offsets, paths, integer flags, byte-order marks,
 * the inputs a rerun needs, outputs written whole.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { decodeSafetensors } from '../src/train/safetensors.ts';
import { InputError, inputsForRerun, integerFlag, jsonErrorOffset, readJsonFile, shellPath, within, writeWhole } from '../src/cli/io.ts';
import { Model } from '../src/model.ts';
import { runCheck } from '../src/cli/check.ts';
import { BIN, dir, ENV } from './lib/cli-run.ts';

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

describe('writeWhole: an output of train (--save, --plot) written whole or not at all (fuzzcli50)', () => {
  const xor = {
    inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 },
    x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], batchSize: 2, epochs: 2, optimizer: { name: 'adam', lr: 0.05 },
  };
  /** `backprop train ARGS` in a folder of its own, under a file-size limit of 1 KiB (`ulimit -f 1`): a write past it fails with EFBIG. */
  const capped = (cwd: string, ...args: string[]) =>
    spawnSync('bash', ['-c', 'ulimit -f 1 && exec "$@"', 'bash', process.execPath, BIN, 'train', ...args], { cwd, encoding: 'utf8', env: ENV, timeout: 60_000 });

  it.skipIf(process.platform === 'win32')('a --save that fails part way (EFBIG) leaves no partial file, and the checkpoint --resume continues as it was', () => {
    const sub = mkdtempSync(join(dir, 'whole-'));
    writeFileSync(join(sub, 'xor.json'), JSON.stringify(xor));
    const made = spawnSync(process.execPath, [BIN, 'train', 'xor.json', '--save', 'run.ckpt'], { cwd: sub, encoding: 'utf8', env: ENV, timeout: 60_000 });
    expect(made.status, made.stderr).toBe(0);
    const before = readFileSync(join(sub, 'run.ckpt'));
    expect(before.length).toBeGreaterThan(1024); // past the limit: the write fails part way
    const fresh = capped(sub, 'xor.json', '--save', 'new.ckpt');
    expect([fresh.status, fresh.stderr]).toEqual([2, 'error: --save new.ckpt: cannot write the checkpoint (EFBIG)\n']);
    const resumed = capped(sub, '--resume', 'run.ckpt', '--epochs', '1', '--save', 'run.ckpt');
    expect([resumed.status, resumed.stderr]).toEqual([2, 'error: --save run.ckpt: cannot write the checkpoint (EFBIG)\n']);
    // writeFileSync in place left a 1024-byte new.ckpt, and run.ckpt cut to 1024 bytes: the run it held was lost.
    expect(readdirSync(sub).sort()).toEqual(['run.ckpt', 'xor.json']);
    expect(readFileSync(join(sub, 'run.ckpt')).equals(before)).toBe(true);
  });

  // Needs another user: run here as root, with runuser (util-linux); skipped elsewhere.
  const asNobody = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser');
  /** A folder of `mode` holding xor.json, that nobody can reach (its parent 0o711). */
  const folderFor = (prefix: string, mode: number): string => {
    const sub = mkdtempSync(join(dir, prefix));
    chmodSync(dir, 0o711);
    chmodSync(sub, mode);
    writeFileSync(join(sub, 'xor.json'), JSON.stringify(xor));
    return sub;
  };
  /** backprop train SUB/xor.json --save OUT run as nobody. */
  const saveAsNobody = (sub: string, out: string) => spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, 'train', join(sub, 'xor.json'), '--save', out], { encoding: 'utf8', env: ENV, timeout: 60_000 });
  it.skipIf(!asNobody)("another user's file in a sticky folder (as /tmp is), writable but not replaceable (rename: EPERM), is written in place as before; root's replacement keeps the owner", () => {
    const sub = folderFor('sticky-', 0o1777);
    const shared = join(sub, 'shared.ckpt');
    writeFileSync(shared, 'old');
    chmodSync(shared, 0o666);
    const r = saveAsNobody(sub, shared);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect([statSync(shared).uid, readFileSync(shared).length > 1024]).toEqual([0, true]); // root's file still, now the checkpoint
    expect(readdirSync(sub).sort()).toEqual(['shared.ckpt', 'xor.json']);
    // Root (this process) replacing nobody's file: the new file is nobody's too, with the mode it had.
    chownSync(shared, 65534, 65534);
    chmodSync(shared, 0o640);
    writeWhole(shared, 'new');
    expect([readFileSync(shared, 'utf8'), statSync(shared).uid, statSync(shared).gid, statSync(shared).mode & 0o777]).toEqual(['new', 65534, 65534, 0o640]);
  });

  // A replacement the system refuses is written in place, as before writeWhole: it failed after training. Run as nobody.
  it.skipIf(!asNobody)("nobody's file through a symlink into a folder nobody may not add to, and nobody's file of a group nobody is not in: written in place, the group kept", () => {
    const sub = folderFor('inplace-', 0o777);
    const closed = join(sub, 'closed');
    mkdirSync(closed, { mode: 0o755 }); // root's: nobody may not make the temporary file there (EACCES)
    const held = join(closed, 'm.ckpt');
    writeFileSync(held, 'old');
    chownSync(held, 65534, 65534);
    symlinkSync(held, join(sub, 'link.ckpt'));
    const grouped = join(sub, 'grouped.ckpt');
    writeFileSync(grouped, 'old');
    chownSync(grouped, 65534, 1); // nobody's, of group daemon, which nobody is not in: chown to it is EPERM
    chmodSync(grouped, 0o660);
    for (const out of [join(sub, 'link.ckpt'), grouped]) {
      const r = saveAsNobody(sub, out);
      expect([r.status, r.stderr], out).toEqual([0, '']);
    }
    expect(readFileSync(held).length).toBeGreaterThan(1024);
    expect([readFileSync(grouped).length > 1024, statSync(grouped).uid, statSync(grouped).gid, statSync(grouped).mode & 0o777]).toEqual([true, 65534, 1, 0o660]);
    expect([readdirSync(sub).sort(), readdirSync(closed)]).toEqual([['closed', 'grouped.ckpt', 'link.ckpt', 'xor.json'], ['m.ckpt']]);
  });

  // The kernel clears set-user-ID (and set-group-ID where the group may execute) when a user without CAP_FSETID writes
  // a file: a replacement copied them (review50b). Root keeps them, as its write in place does.
  it.skipIf(!asNobody)("nobody's replacement of its own set-user-ID, set-group-ID file leaves the mode a write in place leaves: 0755", () => {
    const sub = folderFor('setid-', 0o777);
    const own = join(sub, 'own.ckpt');
    writeFileSync(own, 'old');
    chownSync(own, 65534, 65534);
    chmodSync(own, 0o6755);
    const r = saveAsNobody(sub, own);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect([readFileSync(own).length > 1024, statSync(own).mode & 0o7777]).toEqual([true, 0o755]);
  });

  // Root in a user namespace (a rootless container): a file of an owner the namespace does not map shows as 65534, and
  // chown to it is EINVAL — the save failed after training (review50b). Written in place then, as before.
  const userNamespace = process.platform === 'linux' && spawnSync('unshare', ['-r', 'true']).status === 0;
  it.skipIf(!userNamespace || process.getuid?.() !== 0)("root in a user namespace saving over a file of an unmapped owner: written in place", () => {
    const sub = folderFor('userns-', 0o777);
    const held = join(sub, 'm.ckpt');
    writeFileSync(held, 'old');
    chownSync(held, 1234, 1234);
    chmodSync(held, 0o666);
    const r = spawnSync('unshare', ['-r', process.execPath, BIN, 'train', join(sub, 'xor.json'), '--save', held], { encoding: 'utf8', env: ENV, timeout: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect([readFileSync(held).length > 1024, statSync(held).uid, readdirSync(sub).sort()]).toEqual([true, 1234, ['m.ckpt', 'xor.json']]);
  });

  it.skipIf(process.platform === 'win32')('a file through a symlink is replaced and the link kept, with the mode it had; a device is written in place', () => {
    const sub = mkdtempSync(join(dir, 'whole-link-'));
    const target = join(sub, 'target.svg');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    symlinkSync(target, join(sub, 'link.svg'));
    writeWhole(join(sub, 'link.svg'), 'new');
    expect(lstatSync(join(sub, 'link.svg')).isSymbolicLink()).toBe(true);
    expect([readFileSync(target, 'utf8'), statSync(target).mode & 0o777]).toEqual(['new', 0o640]);
    writeWhole('/dev/null', 'x');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true); // written in place, not replaced by a file
    expect(readdirSync(sub).sort()).toEqual(['link.svg', 'target.svg']);
  });

  // /dev/fd/3 open on a file since deleted links to "… (deleted)", which realpath cannot follow: the check of --save
  // against the spec file was an internal error (a stack trace, exit 1) — review50. Written through the descriptor.
  it.skipIf(process.platform !== 'linux')('--save /dev/fd/3 where fd 3 is a file since deleted: trained and written through the descriptor', () => {
    const sub = mkdtempSync(join(dir, 'fd-'));
    writeFileSync(join(sub, 'xor.json'), JSON.stringify(xor));
    const r = spawnSync('bash', ['-c', 'exec 3>gone.ckpt && rm gone.ckpt && "$1" "$2" train xor.json --save /dev/fd/3 && wc -c < /proc/$$/fd/3', 'bash', process.execPath, BIN], { cwd: sub, encoding: 'utf8', env: ENV, timeout: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const [, line, bytes] = /checkpoint written to \/dev\/fd\/3 \((\d+) bytes, safetensors\)\n(\d+)\n$/.exec(r.stdout) ?? [];
    expect(line, r.stdout).toBe(bytes);
    expect(readdirSync(sub)).toEqual(['xor.json']);
  });

  // stdout a regular file the shell holds open: written through the descriptor, at its offset (review50b: a new open
  // of /dev/stdout truncated it — HEADER lost, TRAILER written over the checkpoint's header).
  it.skipIf(process.platform !== 'linux')("--save /dev/stdout into a file the shell writes before and after (>, >>): the checkpoint between the shell's lines", () => {
    const sub = mkdtempSync(join(dir, 'fd1-'));
    writeFileSync(join(sub, 'xor.json'), JSON.stringify(xor));
    writeFileSync(join(sub, 'appended.out'), 'FIRST\n');
    const run = 'echo HEADER; "$1" "$2" train xor.json --save /dev/stdout 2>/dev/null; echo TRAILER';
    const r = spawnSync('bash', ['-c', `{ ${run}; } > grouped.out && { ${run}; } >> appended.out`, 'bash', process.execPath, BIN], { cwd: sub, encoding: 'utf8', env: ENV, timeout: 60_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    for (const [name, head] of [['grouped.out', 'HEADER\n'], ['appended.out', 'FIRST\nHEADER\n']]) {
      const bytes = readFileSync(join(sub, name));
      expect([bytes.subarray(0, head.length).toString(), bytes.subarray(bytes.length - 8).toString()], name).toEqual([head, 'TRAILER\n']);
      expect(Object.keys(decodeSafetensors(bytes.subarray(head.length, bytes.length - 8)).tensors), name).toEqual(expect.arrayContaining(['W_1', 'W_2', 'b_1', 'b_2']));
    }
  });

  // The temporary name carried the target's: `.NAME.PID-HEX.tmp` passed NAME_MAX for a legal name of 240 bytes, and
  // the save failed after training (ENAMETOOLONG).
  it('a file of a name near the longest a folder takes (250 bytes) is written, new and replaced', () => {
    const sub = mkdtempSync(join(dir, 'whole-long-'));
    const long = join(sub, `${'a'.repeat(246)}.svg`);
    writeWhole(long, 'one');
    writeWhole(long, 'two');
    expect([readFileSync(long, 'utf8'), readdirSync(sub)]).toEqual(['two', [`${'a'.repeat(246)}.svg`]]);
  });
});

describe('checkWritable in a working folder removed since the shell entered it (fuzzcli50)', () => {
  it.skipIf(process.platform === 'win32')('a relative --save is refused in one line, exit 2, before training (was: internal error, a stack trace, exit 1)', () => {
    const sub = mkdtempSync(join(dir, 'gone-'));
    const spec = join(dir, 'gone-spec.json');
    writeFileSync(spec, JSON.stringify({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: [[0]], y: [[1]] }));
    const r = spawnSync('bash', ['-c', 'cd "$1" && rmdir "$1" && exec "$2" "$3" train "$4" --save rel.ckpt', 'bash', sub, process.execPath, BIN, spec], { encoding: 'utf8', env: ENV, timeout: 60_000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'error: --save rel.ckpt: cannot write in the working folder, which no longer exists (ENOENT)\n']);
  });
});
