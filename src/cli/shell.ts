/** An argument as a POSIX shell reads it back: as it is, or in single quotes (`'my net.json'`, `'it'\''s'`, `''`). */
export function shellArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}
