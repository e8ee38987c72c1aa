import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every symbol the package exports (package.json "exports": `.`, `./notation`, `./lectures`), every public member
// of its exported classes and every field and method of its exported interfaces and object-literal type aliases
// (`TrainOptions.steps`, with the members of the interfaces they extend, in the same file or imported from another)
// has a TSDoc comment: that comment is what a TypeScript user sees on hover, from the .d.ts the library build emits.
// So do the fields of object types written inline inside those (`FitOptions.validation.x`, a union member
// `{ … } | { … }` included) and in the parameters and results of exported functions and public methods
// (`explain(opts).format`, `f().loss`). Parse only (ts.createSourceFile, no type-checking program): an entry's
// `export … from`, and an `import` of an extended interface, is followed to the file that declares the name.

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

/** The interfaces, type aliases and classes named `name` in `sf`: declared there (exported or not), else imported. */
function declsNamed(sf: ts.SourceFile, name: string): Decl[] {
  const local = sf.statements.filter((st): st is ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration =>
    (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name);
  if (local.length > 0) return local;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings || !ts.isNamedImports(st.importClause.namedBindings)) continue;
    const el = st.importClause.namedBindings.elements.find((e) => e.name.text === name);
    if (el) return exportsOf(target(sf, st.moduleSpecifier)).get((el.propertyName ?? el.name).text)?.decls ?? [];
  }
  return [];
}

/**
 * An interface's own members and those of the interfaces (or object-literal type aliases) it extends, declared in its
 * file (exported or not: hover on `claim.quote` of a NumericClaim shows ClaimCommon's comment) or imported from
 * another (`GradJson extends RanJson`: hover on `json.backend` shows RanJson's).
 */
function interfaceMembers(d: ts.InterfaceDeclaration, seen = new Set<ts.Node>()): ts.TypeElement[] {
  if (seen.has(d)) return [];
  seen.add(d);
  const out = [...d.members];
  for (const h of d.heritageClauses ?? []) {
    for (const t of h.types) {
      if (!ts.isIdentifier(t.expression)) continue;
      const bases = declsNamed(d.getSourceFile(), t.expression.text);
      if (bases.length === 0) throw new Error(`${relative(ROOT, d.getSourceFile().fileName)}: ${d.name.text} extends '${t.expression.text}', which is neither declared nor imported there`);
      for (const base of bases) {
        if (ts.isInterfaceDeclaration(base)) out.push(...interfaceMembers(base, seen));
        else if (ts.isTypeAliasDeclaration(base)) out.push(...(typeLiteral(base.type)?.members ?? []));
      }
    }
  }
  return out;
}

/**
 * The object types written inline in a type (`{ … }`, inside `[]`, `readonly`, `|`, `&`, tuples, a generic's
 * arguments such as `Promise<{ … }>` and a function type's parameters and result; not the named types it refers to,
 * which are checked where they are exported).
 */
function inlineLiterals(t: ts.TypeNode | undefined): ts.TypeLiteralNode[] {
  if (!t) return [];
  if (ts.isTypeLiteralNode(t)) return [t];
  if (ts.isParenthesizedTypeNode(t) || ts.isTypeOperatorNode(t) || ts.isOptionalTypeNode(t) || ts.isRestTypeNode(t)) return inlineLiterals(t.type);
  if (ts.isArrayTypeNode(t)) return inlineLiterals(t.elementType);
  if (ts.isUnionTypeNode(t) || ts.isIntersectionTypeNode(t)) return t.types.flatMap(inlineLiterals);
  if (ts.isTupleTypeNode(t)) return t.elements.flatMap((e) => inlineLiterals(ts.isNamedTupleMember(e) ? e.type : e));
  if (ts.isTypeReferenceNode(t)) return (t.typeArguments ?? []).flatMap(inlineLiterals);
  if (ts.isFunctionTypeNode(t)) return [...t.parameters.map((p) => p.type), t.type].flatMap(inlineLiterals);
  return [];
}

/** A function's, method's or constructor's parameters with their types, and its declared result type. */
function signatureTypes(s: ts.SignatureDeclarationBase, name: string): [string, ts.TypeNode | undefined][] {
  return [
    ...s.parameters.map((p): [string, ts.TypeNode | undefined] => [`${name}(${ts.isIdentifier(p.name) ? p.name.text : "{…}"})`, p.type]),
    [`${name}()`, s.type],
  ];
}

function memberName(m: ts.ClassElement | ts.TypeElement): string {
  const n = m.name!;
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : n.getText();
}

interface Item { what: string; where: string; doc: string; member?: 'type' }

/**
 * Every exported symbol and public class member of the three entries, and the fields (inline ones included) of their
 * types, with its doc (overloads: any signature's).
 */
function items(): Item[] {
  const out = new Map<string, Item>();
  const at = (n: ts.Node): string => `${relative(ROOT, n.getSourceFile().fileName)}:${n.getSourceFile().getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  /**
   * Fields and methods as `prefix.name`: hover on `opts.steps` shows the property signature's comment. A name in
   * several bodies of `eachBody` (the members of a union `{ … } | { … }`) needs a comment in each, as hover on a
   * narrowed value shows that member's only; otherwise (an interface and those it extends) any one's, and a method's
   * overloads (one body) any one's. Then the object types written inline in their types, as `prefix.name.field`.
   */
  const fields = (prefix: string, members: readonly ts.TypeElement[], eachBody: boolean): void => {
    const sigs = new Map<string, ts.TypeElement[]>();
    for (const m of members) {
      if (!(ts.isPropertySignature(m) || ts.isMethodSignature(m))) continue;
      sigs.set(memberName(m), [...(sigs.get(memberName(m)) ?? []), m]);
    }
    for (const [mn, ms] of sigs) {
      const bodies = eachBody ? [...new Set(ms.map((m) => m.parent))].map((b) => ms.filter((m) => m.parent === b)) : [ms];
      const bare = bodies.find((g) => g.every((m) => doc(m) === ''));
      const what = `${prefix}.${mn}`;
      out.set(what, { what, where: at((bare ?? ms)[0]!), doc: bare ? '' : ms.map(doc).join(' ').trim(), member: 'type' });
      for (const m of ms) {
        if (ts.isPropertySignature(m)) inline(what, m.type);
        else if (ts.isMethodSignature(m)) for (const [k, t] of signatureTypes(m, what)) inline(k, t);
      }
    }
  };
  const inline = (prefix: string, t: ts.TypeNode | undefined): void => fields(prefix, inlineLiterals(t).flatMap((l) => [...l.members]), true);
  for (const entry of ENTRIES) {
    for (const [name, { decls }] of exportsOf(resolve(ROOT, entry))) {
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
          const hidden = (ts.getModifiers(ctor) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
          if (!hidden) for (const [k, t] of signatureTypes(ctor, `${name}.constructor`)) inline(k, t);
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
          for (const m of ms) {
            if (ts.isPropertyDeclaration(m)) inline(`${name}.${mn}`, m.type);
            else if (ts.isMethodDeclaration(m) || ts.isAccessor(m)) for (const [k, t] of signatureTypes(m, `${name}.${mn}`)) inline(k, t);
          }
        }
      }
      for (const d of decls) {
        // An exported interface's or object-literal type alias's fields and methods (a union of object literals: each).
        if (ts.isInterfaceDeclaration(d)) fields(name, interfaceMembers(d), false);
        else if (ts.isTypeAliasDeclaration(d)) {
          const only = typeLiteral(d.type);
          if (only) fields(name, only.members, false);
          else inline(name, d.type);
        }
        // An exported function's parameters and result typed inline (`explain(opts).format`), a constant's type.
        else if (ts.isFunctionDeclaration(d)) for (const [k, t] of signatureTypes(d, name)) inline(k, t);
        else if (ts.isVariableDeclaration(d)) {
          inline(name, d.type);
          const init = d.initializer;
          if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) for (const [k, t] of signatureTypes(init, name)) inline(k, t);
        }
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
    // …with the fields of object types written inline: in a field, a union's members, a parameter, a result.
    for (const name of ['TrainOptions.steps', 'GradResult.dW', 'FitOptions.batchSize', 'EpochLog.valLoss', 'ModelOptions.threads', 'Budget.hostBytes', 'NumericClaim.quote',
      'FitOptions.validation.x', 'Ref.wrt.param', 'ParamId.col', 'notationCost(architecture).biases', 'Model.evaluate().accuracy']) {
      expect(all.some((i) => i.what === name && i.member === 'type'), name).toBe(true);
    }
    const missing = all.filter((i) => i.doc === '').map((i) => `${i.what} (${i.where})`);
    expect(missing).toEqual([]);
  });

  it('follows an extended interface imported from another file (GradJson extends RanJson, src/cli/ran.ts)', () => {
    // No exported interface extends an imported one yet: this one, outside the package, shows that one would be read.
    const grad = source(resolve(ROOT, 'src/cli/grad.ts')).statements.find((st): st is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(st) && st.name.text === 'GradJson');
    const members = interfaceMembers(grad!).map((m) => `${relative(ROOT, m.getSourceFile().fileName)} ${memberName(m)}`);
    expect(members).toContain('src/cli/ran.ts backend');
  });
});
