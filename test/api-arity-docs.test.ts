/**
 * README's promise about extra arguments ("API": a call given more arguments than it takes is a SpecError naming
 * `arguments`) says exactly which calls count them (usr56f): Model's — every public method but dispose(), and the
 * static create and load — and that the functions exported beside Model do not. Read from the code: the calls named
 * to checkArity / freeCall / liveCall in src/model.ts, and Model's public methods by the TypeScript parser.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Model, SpecError, epochOrder, validateSpec } from '../src/index.ts';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const MODEL_SRC = readFileSync(new URL('../src/model.ts', import.meta.url), 'utf8');

/** README's list of the calls that count their arguments: the backticked names in the sentence after "these calls:". */
function readmeList(): string[] {
  const at = README.indexOf('these\n  calls:') >= 0 ? README.indexOf('these\n  calls:') : README.indexOf('these calls:');
  if (at < 0) return [];
  const sentence = README.slice(at, README.indexOf(';', at));
  return [...sentence.matchAll(/`([A-Za-z.]+)`/g)].map((m) => m[1]).sort();
}

/** The call names src/model.ts gives checkArity, freeCall and liveCall. */
function checkedInCode(): string[] {
  return [...MODEL_SRC.matchAll(/(?:checkArity|freeCall|liveCall)\('([A-Za-z.]+)'/g)].map((m) => m[1]).sort();
}

/** Model's public methods (static ones as Model.name), dispose included, by the parser. */
function publicMethods(): string[] {
  const sf = ts.createSourceFile('model.ts', MODEL_SRC, ts.ScriptTarget.Latest, true);
  const cls = sf.statements.find((st): st is ts.ClassDeclaration => ts.isClassDeclaration(st) && st.name?.text === 'Model')!;
  const out = new Set<string>();
  for (const m of cls.members) {
    if (!ts.isMethodDeclaration(m) || !ts.isIdentifier(m.name)) continue;
    const mods = ts.getModifiers(m) ?? [];
    if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
    out.add(mods.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ? `Model.${m.name.text}` : m.name.text);
  }
  return [...out].sort();
}

describe("README's arity promise names exactly the calls that keep it", () => {
  it('the list README gives is the calls src/model.ts checks', () => {
    expect(readmeList().length).toBeGreaterThan(10);
    expect(readmeList()).toEqual(checkedInCode());
  });

  it("every public method of Model is in it but dispose(), which README says ignores arguments", () => {
    expect(publicMethods().filter((m) => m !== 'dispose')).toEqual(checkedInCode());
    expect(README).toMatch(/`dispose\(\)` alone ignores arguments/);
  });

  it('README says the functions exported beside Model do not count them, and they do not (one past is not read)', () => {
    expect(README).toMatch(/Only `Model`'s calls count their\s+arguments/);
    const spec = { inputs: 1, layers: [{ units: 1, activation: 'identity' as const }], loss: 'mse' as const };
    const f = validateSpec as (...a: unknown[]) => unknown;
    expect(() => f(spec, undefined, 'extra')).not.toThrow();
    const g = epochOrder as (...a: unknown[]) => unknown;
    expect(g(3, false, 0, 'extra')).toEqual(epochOrder(3, false, 0));
  });

  it('a Model call with one more does refuse it (SpecError naming arguments)', async () => {
    const m = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 } }, { backend: 'cpu' });
    try {
      const call = m.getParams as (...a: unknown[]) => Promise<unknown>;
      await expect(call.call(m, 'extra')).rejects.toMatchObject({ name: SpecError.name, field: 'arguments' });
    } finally {
      m.dispose();
    }
  });
});
