/**
 * Formulas as the lectures print them, evaluated on a net's numbers: "(A3 − y_t)(A3(1 − A3)) w31 A1(1 − A1) x1",
 * "−(y − ŷ)·w²₂₁·IQ", "½(y − ŷ)²", "1/(1 + e^(−z1))", "0.40 − (0.0001 × 0.0822)", "w²₁₁ − η·∂L/∂w²₁₁".
 *
 * - numbers: 0.05, .7414, 1e-4, ½;
 * - names: any name of the net (w5, w¹₁₁, a_h1, ŷ, CGPA, y_t, δ_h1, ∂L/∂w5, ∂L/∂b1 from h1, w5'), resolved by the caller;
 *   e, π and N (the number of examples) when the net has no name like them;
 * - operators: + − - · × * / ÷ ^, Unicode superscript digits as a power after ")" or a number ("(A3 − y_t)²"),
 *   juxtaposition as multiplication ("w31 A1", "A1(1 − A1)", "2(y − ŷ)");
 * - functions: σ (or sigma), σ' (the derivative), relu, relu', leaky_relu, leaky_relu', tanh, tanh', exp, log or ln
 *   (natural), sqrt, abs, max, min;
 *   "log ŷ" applies log to the atom that follows;
 * - square brackets as parentheses ("[1 − a]²"), or around one comparison (> < ≥ ≤, or >= <=) as 1 where it holds
 *   and 0 where not: relu's derivative as explain prints it, "[z_h1 > 0]".
 * A superscript right after a name's letters belongs to the name (w²₁₁, a¹₁); one after its subscript or digits is a
 * power (a¹₁², a_h1², A3²). Write the power of a bare-letter name as (a)² or a^2.
 */
import { ClaimError } from '../errors.ts';
import { LEAKY_SLOPE } from '../spec.ts';

export type Expr =
  | { t: 'num'; v: number }
  | { t: 'name'; name: string }
  | { t: 'neg'; x: Expr }
  | { t: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Expr; b: Expr }
  | { t: 'call'; fn: string; args: Expr[] }
  | { t: 'cmp'; op: Comparison; a: Expr; b: Expr };

type Comparison = '>' | '<' | '≥' | '≤';
const COMPARISONS: readonly string[] = ['>', '<', '≥', '≤'];

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export const FUNCTIONS: Record<string, (...x: number[]) => number> = {
  σ: sigmoid,
  sigma: sigmoid,
  "σ'": (z) => sigmoid(z) * (1 - sigmoid(z)),
  "sigma'": (z) => sigmoid(z) * (1 - sigmoid(z)),
  relu: (z) => Math.max(0, z),
  "relu'": (z) => (z > 0 ? 1 : 0),
  leaky_relu: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
  "leaky_relu'": (z) => (z > 0 ? 1 : LEAKY_SLOPE),
  tanh: Math.tanh,
  "tanh'": (z) => 1 - Math.tanh(z) ** 2,
  exp: Math.exp,
  log: Math.log,
  ln: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  max: Math.max,
  min: Math.min,
};

/** Whether `name` is one of FUNCTIONS: own keys only ("constructor", "toString" are not functions). */
export function isFunctionName(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

/** The longest formula read, in characters, and the deepest nesting of parentheses, signs and powers. */
export const MAX_FORMULA_LENGTH = 10_000;
export const MAX_FORMULA_DEPTH = 200;

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUB = '₀₁₂₃₄₅₆₇₈₉';

type Tok = { k: 'num'; v: number } | { k: 'name'; s: string } | { k: 'op'; s: string } | { k: 'pow'; v: number };

/** A token as a student wrote it, for an error ("unexpected ')'", not its JSON). */
function tokText(t: Tok): string {
  if (t.k === 'pow') return [...String(t.v)].map((d) => SUP[Number(d)]).join('');
  return t.k === 'num' ? String(t.v) : t.s;
}

/**
 * The part of a name after its letters: super/subscript digits, plain digits, _x or _{x}, and a prime.
 * A superscript may be followed by subscript digits or by _x (w¹₁₁, w¹_10,3); subscript digits may hold one comma
 * between two indices (w¹₁₀,₃): the spellings names.ts prints and matches for a two-digit index pair.
 * After "_" the tail is letters, digits (subscripts too) and commas (a_h1, a_h1,11), but not a superscript digit:
 * \p{N} includes ²; "a_h1²" is (a_h1)², as explain prints tanh' ("1 − a_h1²"), like "A3²" and "a¹₁²".
 */
const NAME_TAIL = /^(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]*(?:[₀₁₂₃₄₅₆₇₈₉]+(?:,[₀₁₂₃₄₅₆₇₈₉]+)?|_\{[^}]*\}|_(?:(?![⁰¹²³⁴⁵⁶⁷⁸⁹])[\p{L}\p{N},])+)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|[0-9]+)?(?:[₀₁₂₃₄₅₆₇₈₉]*)/u;

function readName(src: string, i: number): number {
  const letters = /^(?:\p{L}\p{M}*)+/u.exec(src.slice(i));
  if (!letters) return i;
  let j = i + letters[0].length;
  const tail = NAME_TAIL.exec(src.slice(j));
  if (tail) j += tail[0].length;
  return j;
}

function tokenize(src: string, field: string, loss: string): Tok[] {
  const s = src.normalize('NFC');
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (/\s/.test(ch)) { i++; continue; }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s.slice(i));
    if (num) { out.push({ k: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    if (ch === '½') { out.push({ k: 'num', v: 0.5 }); i++; continue; }
    if (SUP.includes(ch)) {
      let j = i;
      while (j < s.length && SUP.includes(s[j])) j++;
      out.push({ k: 'pow', v: Number([...s.slice(i, j)].map((c) => SUP.indexOf(c)).join('')) });
      i = j;
      continue;
    }
    if (ch === '∂') {
      // ∂NUM/∂DEN is one name.
      const a = readName(s, i + 1);
      if (a > i + 1 && s[a] === '/' && s[a + 1] === '∂') {
        const b = readName(s, a + 2);
        if (b > a + 2) {
          let end = b;
          if (s[end] === "'" || s[end] === '′') end++;
          let name = s.slice(i, end);
          // "∂L/∂b1 from h1" (or "via h1"): the paths through one unit, a name as in a claim's name (README, Naming).
          const via = /^\s+(from|via)\s+([^\s+\-−·×*/÷^(),[\]<>≤≥=]+)/u.exec(s.slice(end));
          if (via) { name += ` ${via[1]} ${via[2]}`; end += via[0].length; }
          out.push({ k: 'name', s: name });
          i = end;
          continue;
        }
      }
      throw new ClaimError(field, `cannot read a derivative at '${s.slice(i, i + 12)}' (write it as ∂${loss}/∂w5, without spaces)`);
    }
    if (/\p{L}/u.test(ch)) {
      let j = readName(s, i);
      if (s[j] === "'" || s[j] === '′') j++;
      out.push({ k: 'name', s: s.slice(i, j).replace('′', "'") });
      i = j;
      continue;
    }
    if ((ch === '>' || ch === '<') && s[i + 1] === '=') {
      out.push({ k: 'op', s: ch === '>' ? '≥' : '≤' });
      i += 2;
      continue;
    }
    if ('+-−·×*/÷^(),[]><≥≤'.includes(ch)) {
      const op = ch === '−' ? '-' : ch === '·' || ch === '×' ? '*' : ch === '÷' ? '/' : ch;
      out.push({ k: 'op', s: op });
      i++;
      continue;
    }
    if (SUB.includes(ch)) throw new ClaimError(field, `a subscript '${ch}' must follow a name`);
    throw new ClaimError(field, `unexpected '${ch}' in the formula '${src}'`);
  }
  return out;
}

/**
 * Parse a formula; a syntax error is a ClaimError naming `field`. `loss`: the net's loss letter (Naming's loss, "E" or
 * "J" in some lectures), which the error's example derivative is written with.
 */
export function parseExpr(src: string, field: string, loss = 'L'): Expr {
  if (typeof src !== 'string' || src.trim() === '') throw new ClaimError(field, 'the formula is empty');
  // NOTE: the parser (and evalExpr, namesIn) recurse: the length and the nesting are bounded, so no input overflows the stack.
  if (src.length > MAX_FORMULA_LENGTH) throw new ClaimError(field, `the formula is ${src.length} characters long, more than ${MAX_FORMULA_LENGTH}`);
  const toks = tokenize(src, field, loss);
  let p = 0;
  let depth = 0;
  const enter = (): void => {
    if (++depth > MAX_FORMULA_DEPTH) throw new ClaimError(field, `the formula nests parentheses, signs or powers more than ${MAX_FORMULA_DEPTH} deep`);
  };
  const peek = () => toks[p];
  const isOp = (s: string) => peek()?.k === 'op' && (peek() as { s: string }).s === s;
  const fail = (what: string): never => {
    throw new ClaimError(field, `cannot read the formula '${src}': ${what}`);
  };
  const startsAtom = () => {
    const t = peek();
    return t !== undefined && (t.k === 'num' || t.k === 'name' || (t.k === 'op' && (t.s === '(' || t.s === '[')));
  };

  function atom(): Expr {
    enter();
    try {
      return atomInner();
    } finally {
      depth--;
    }
  }

  function atomInner(): Expr {
    const t = peek();
    if (!t) return fail('it ends too early');
    if (t.k === 'num') { p++; return withPow({ t: 'num', v: t.v }); }
    if (t.k === 'op' && t.s === '(') {
      p++;
      const e = sum();
      if (!isOp(')')) fail('a ")" is missing');
      p++;
      return withPow(e);
    }
    if (t.k === 'op' && t.s === '[') {
      p++;
      let e = sum();
      const c = peek();
      if (c?.k === 'op' && COMPARISONS.includes(c.s)) {
        p++;
        e = { t: 'cmp', op: c.s as Comparison, a: e, b: sum() };
      }
      if (!isOp(']')) fail('a "]" is missing');
      p++;
      return withPow(e);
    }
    if (t.k === 'name') {
      p++;
      // Its arguments in parentheses or square brackets (σ[z], as before brackets closed by their own kind), each
      // closed by its own kind.
      if (isFunctionName(t.s) && (isOp('(') || isOp('['))) {
        const close = isOp('(') ? ')' : ']';
        p++;
        const args = [sum()];
        while (isOp(',')) { p++; args.push(sum()); }
        if (!isOp(close)) fail(`a "${close}" is missing after the arguments of ${t.s}`);
        p++;
        return withPow({ t: 'call', fn: t.s, args });
      }
      // "log ŷ": a function applied to the atom that follows, as the lectures write it.
      if (isFunctionName(t.s) && (peek()?.k === 'name' || peek()?.k === 'num')) return { t: 'call', fn: t.s, args: [power()] };
      return withPow({ t: 'name', name: t.s });
    }
    return fail(`unexpected '${tokText(t)}'`);
  }

  function withPow(e: Expr): Expr {
    const t = peek();
    if (t?.k === 'pow') { p++; return { t: 'bin', op: '^', a: e, b: { t: 'num', v: t.v } }; }
    return e;
  }

  function power(): Expr {
    const base = atom();
    if (isOp('^')) { p++; return { t: 'bin', op: '^', a: base, b: unary() }; }
    return base;
  }

  function unary(): Expr {
    if (!isOp('-') && !isOp('+')) return power();
    const op = (peek() as { s: string }).s;
    p++;
    enter();
    try {
      return op === '-' ? { t: 'neg', x: unary() } : unary();
    } finally {
      depth--;
    }
  }

  function term(): Expr {
    let e = unary();
    for (;;) {
      if (isOp('*') || isOp('/')) {
        const op = (peek() as { s: string }).s as '*' | '/';
        p++;
        e = { t: 'bin', op, a: e, b: unary() };
      } else if (startsAtom()) {
        e = { t: 'bin', op: '*', a: e, b: power() };
      } else return e;
    }
  }

  function sum(): Expr {
    let e = term();
    while (isOp('+') || isOp('-')) {
      const op = (peek() as { s: string }).s as '+' | '-';
      p++;
      e = { t: 'bin', op, a: e, b: term() };
    }
    return e;
  }

  const e = sum();
  if (p < toks.length) fail(`unexpected '${tokText(toks[p])}' after a complete formula`);
  return e;
}

/** Every name a formula uses (functions excluded), in order of appearance. */
export function namesIn(e: Expr): string[] {
  switch (e.t) {
    case 'num': return [];
    case 'name': return [e.name];
    case 'neg': return namesIn(e.x);
    case 'bin':
    case 'cmp': return [...namesIn(e.a), ...namesIn(e.b)];
    case 'call': return e.args.flatMap(namesIn);
  }
}

/** Evaluate with `lookup` giving each name's value. */
export function evalExpr(e: Expr, lookup: (name: string) => number): number {
  switch (e.t) {
    case 'num': return e.v;
    case 'name': return lookup(e.name);
    case 'neg': return -evalExpr(e.x, lookup);
    case 'call': {
      if (!isFunctionName(e.fn)) throw new ClaimError(e.fn, `'${e.fn}' is not a function (functions: ${Object.keys(FUNCTIONS).join(', ')})`);
      return FUNCTIONS[e.fn](...e.args.map((a) => evalExpr(a, lookup)));
    }
    case 'cmp': {
      const a = evalExpr(e.a, lookup);
      const b = evalExpr(e.b, lookup);
      switch (e.op) {
        case '>': return a > b ? 1 : 0;
        case '<': return a < b ? 1 : 0;
        case '≥': return a >= b ? 1 : 0;
        case '≤': return a <= b ? 1 : 0;
      }
    }
    case 'bin': {
      const a = evalExpr(e.a, lookup);
      const b = evalExpr(e.b, lookup);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '^': return a ** b;
      }
    }
  }
}
