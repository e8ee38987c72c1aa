import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every symbol the package exports (package.json "exports": `.`, `./notation`, `./lectures`), every public member
// of its exported classes and every field and method of its exported interfaces and object-literal type aliases
// (`TrainOptions.steps`, with the members of interfaces they extend in the same file) has a TSDoc comment: that
// comment is what a TypeScript user sees on hover, from the .d.ts the library build emits. Parse only (ts.createSourceFile, no type-checking program): an entry's `export … from`
// is followed to the file that declares the name.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = ['src/index.ts', 'src/notation/index.ts', 'src/lectures/index.ts'];

const parsed = new Map<string, ts.SourceFile>();
function source(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    parsed.set(file, sf);
  }
  return sf;
}

/** The non-empty `/** … *\/` text on a declaration (for a variable, on its statement). */
function doc(node: ts.Node): string {
  const host = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return ts.getJSDocCommentsAndTags(host)
    .filter(ts.isJSDoc)
    .map((d) => `${ts.getTextOfJSDocComment(d.comment) ?? ''} ${(d.tags ?? []).map((t) => t.getText()).join(' ')}`.trim())
    .join(' ')
    .trim();
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

type Decl = ts.FunctionDeclaration | ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration | ts.VariableDeclaration;

/** The exported names a file declares itself (overloads: every signature). */
function localExports(sf: ts.SourceFile): Map<string, Decl[]> {
  const out = new Map<string, Decl[]>();
  const add = (name: string, d: Decl): void => void out.set(name, [...(out.get(name) ?? []), d]);
  for (const st of sf.statements) {
    if (!isExported(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, d);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      add(st.name.text, st);
    }
  }
  return out;
}

function target(from: ts.SourceFile, spec: ts.Expression): string {
  return resolve(dirname(from.fileName), (spec as ts.StringLiteral).text);
}

/** Every name a module exports → where it is declared, following `export … from` and `export *`. */
function exportsOf(file: string, seen = new Set<string>()): Map<string, { file: string; decls: Decl[] }> {
  const out = new Map<string, { file: string; decls: Decl[] }>();
  if (seen.has(file)) return out;
  seen.add(file);
  const sf = source(file);
  for (const [name, decls] of localExports(sf)) out.set(name, { file, decls });
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st) || !st.moduleSpecifier) continue;
    const there = exportsOf(target(sf, st.moduleSpecifier), new Set(seen));
    if (!st.exportClause) {
      for (const [name, d] of there) if (name !== 'default') out.set(name, d);
    } else if (ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const from = (el.propertyName ?? el.name).text;
        const d = there.get(from);
        if (!d) throw new Error(`${relative(ROOT, file)}: '${from}' is not exported by ${(st.moduleSpecifier as ts.StringLiteral).text}`);
        out.set(el.name.text, d);
      }
    }
  }
  return out;
}

function isPublicMember(m: ts.ClassElement): boolean {
  if (!m.name || ts.isPrivateIdentifier(m.name)) return false;
  const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
  return !mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
}

/** The object literal type a type alias names (`type X = { … }`, parentheses allowed), else undefined. */
function typeLiteral(t: ts.TypeNode): ts.TypeLiteralNode | undefined {
  while (ts.isParenthesizedTypeNode(t)) t = t.type;
  return ts.isTypeLiteralNode(t) ? t : undefined;
}

/**
 * An interface's own members and those of the interfaces it extends that its file declares (exported or not: hover
 * on `claim.quote` of a NumericClaim shows ClaimCommon's comment).
 */
function interfaceMembers(d: ts.InterfaceDeclaration, seen = new Set<ts.InterfaceDeclaration>()): ts.TypeElement[] {
  if (seen.has(d)) return [];
  seen.add(d);
  const out = [...d.members];
  for (const h of d.heritageClauses ?? []) {
    for (const t of h.types) {
      if (!ts.isIdentifier(t.expression)) continue;
      const name = t.expression.text;
      const base = d.getSourceFile().statements.find((st): st is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(st) && st.name.text === name);
      if (base) out.push(...interfaceMembers(base, seen));
    }
  }
  return out;
}

function memberName(m: ts.ClassElement | ts.TypeElement): string {
  const n = m.name!;
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : n.getText();
}

interface Item { what: string; where: string; doc: string; member?: 'type' }

/** Every exported symbol and public class member of the three entries, with its doc (overloads: any signature's). */
function items(): Item[] {
  const out = new Map<string, Item>();
  for (const entry of ENTRIES) {
    for (const [name, { file, decls }] of exportsOf(resolve(ROOT, entry))) {
      const at = (n: ts.Node): string => `${relative(ROOT, file)}:${source(file).getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      out.set(`${entry} ${name}`, { what: `${entry}: ${name}`, where: at(decls[0]!), doc: decls.map(doc).join(' ').trim() });
      for (const c of decls) {
        if (!ts.isClassDeclaration(c)) continue;
        const members = new Map<string, ts.ClassElement[]>();
        for (const m of c.members) {
          if (!isPublicMember(m)) continue;
          // A constructor: hover on `new X(…)` falls back to the class's comment, which is checked above.
          if (ts.isConstructorDeclaration(m)) continue;
          members.set(memberName(m), [...(members.get(memberName(m)) ?? []), m]);
        }
        // A constructor's parameter property (`constructor(readonly net: Net)`) is a public member: its hover text is
        // the constructor's `@param net` line.
        for (const ctor of c.members.filter(ts.isConstructorDeclaration)) {
          for (const p of ctor.parameters) {
            const mods = ts.getModifiers(p) ?? [];
            if (!ts.isIdentifier(p.name) || mods.length === 0) continue;
            if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
            const tag = ts.getJSDocParameterTags(p).map((t) => ts.getTextOfJSDocComment(t.comment) ?? '').join(' ').trim();
            out.set(`${name}.${p.name.text}`, { what: `${name}.${p.name.text}`, where: at(p), doc: tag });
          }
        }
        for (const [mn, ms] of members) {
          out.set(`${name}.${mn}`, { what: `${name}.${mn}`, where: at(ms[0]!), doc: ms.map(doc).join(' ').trim() });
        }
      }
      // An exported interface's or object-literal type alias's fields and methods: hover on `opts.steps` shows the
      // property signature's comment (overloaded method signatures: any one's).
      const sigs = new Map<string, ts.TypeElement[]>();
      for (const d of decls) {
        const body = ts.isInterfaceDeclaration(d) ? interfaceMembers(d) : ts.isTypeAliasDeclaration(d) ? typeLiteral(d.type)?.members : undefined;
        for (const m of body ?? []) {
          if (!(ts.isPropertySignature(m) || ts.isMethodSignature(m))) continue;
          const mn = memberName(m);
          sigs.set(mn, [...(sigs.get(mn) ?? []), m]);
        }
      }
      for (const [mn, ms] of sigs) {
        out.set(`${name}.${mn}`, { what: `${name}.${mn}`, where: at(ms[0]!), doc: ms.map(doc).join(' ').trim(), member: 'type' });
      }
    }
  }
  return [...out.values()];
}

describe('TSDoc on the public API (what hover shows from the .d.ts)', () => {
  it('every exported symbol of the three entries, every public member of an exported class and every field of an exported interface or object type has a doc comment', () => {
    const all = items();
    // The entries export well over a hundred names (a floor, so that a broken resolver cannot pass with nothing).
    expect(all.length).toBeGreaterThan(150);
    for (const name of ['Model', 'Model.fit', 'Model.create', 'saveCheckpoint', 'explain', 'LECTURES', 'SpecError']) {
      expect(all.some((i) => i.what.endsWith(`: ${name}`) || i.what === name), name).toBe(true);
    }
    // …and their interfaces and object-literal types have about 300 fields and methods (a floor, as above).
    expect(all.filter((i) => i.member === 'type').length).toBeGreaterThan(250);
    for (const name of ['TrainOptions.steps', 'GradResult.dW', 'FitOptions.batchSize', 'EpochLog.valLoss', 'ModelOptions.threads', 'Budget.hostBytes', 'NumericClaim.quote']) {
      expect(all.some((i) => i.what === name && i.member === 'type'), name).toBe(true);
    }
    const missing = all.filter((i) => i.doc === '').map((i) => `${i.what} (${i.where})`);
    expect(missing).toEqual([]);
  });
});
