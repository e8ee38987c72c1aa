/**
 * The lab's Diagram SVG file (src/lab/diagram-export.ts diagramSvgFile): the screen's drawing (modelToSvg of
 * diagramModel) as a standalone .svg for slides. Node has no DOM: a minimal document (test/lib/svg-dom.ts) records
 * what modelToSvg makes, and a strict XML reader below (no dependency: XML 1.0's characters, one root, balanced tags, quoted and
 * unrepeated attributes, only the five entities and character references) reads the file back: the tests look at
 * what a parser sees, not at the string.
 *
 * The net, by hand: 2 inputs → 1 sigmoid unit (BCE), W = [[0.5, −0.25]], b = [0.125], x = (1, 2), y = 1.
 * z = 0.5·1 − 0.25·2 + 0.125 = 0.125; a = σ(0.125) = 1 / (1 + e^−0.125) = 0.531209…; δ = a − y = −0.468791…
 * At the diagram's 4 decimals: "z 0.1250", "a 0.5312", "δ −0.4688"; the inputs as given: "1", "2".
 */
import { describe, expect, it } from 'vitest';
import { diagramSvgFile } from '../src/lab/diagram-export.ts';
import { diagramModel, type DiagramModel } from '../src/lab/diagram-model.ts';
import { Naming } from '../src/notation/names.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';
import { WIDE } from './lib/diagram-nets.ts';
import { useSvgDocument } from './lib/svg-dom.ts';

useSvgDocument();

// ——— a strict XML reader ———

interface XNode { name: string; attrs: Map<string, string>; children: XNode[]; text: string }

const NAME = '[A-Za-z_][\\w.:-]*';
const REF = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** `s` with its references replaced; throws on a bare & or a reference XML does not define. */
function decode(s: string, where: string): string {
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
    REF.lastIndex = i;
    if (!REF.test(s)) throw new Error(`bare & in ${where}: ${s.slice(i, i + 12)}`);
  }
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_, r: string) =>
    r.startsWith('#x') ? String.fromCodePoint(parseInt(r.slice(2), 16)) : r.startsWith('#') ? String.fromCodePoint(Number(r.slice(1))) : named[r]);
}

function parseXml(src: string): { declared: boolean; root: XNode } {
  if (!XML_CHARS.test(src)) throw new Error('a character XML 1.0 does not allow');
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(src);
  let i = decl ? decl[0].length : 0;
  const open = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`, 'y');
  const close = new RegExp(`</(${NAME})\\s*>`, 'y');
  const stack: XNode[] = [];
  let root: XNode | undefined;
  while (i < src.length) {
    if (src[i] !== '<') {
      const end = src.indexOf('<', i) < 0 ? src.length : src.indexOf('<', i);
      const text = src.slice(i, end);
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text.slice(0, 20)}`);
      if (text.includes(']]>')) throw new Error(']]> in text');
      if (stack.length > 0) stack[stack.length - 1].text += decode(text, 'text');
      i = end;
      continue;
    }
    close.lastIndex = i;
    const c = close.exec(src);
    if (c) {
      const top = stack.pop();
      if (top?.name !== c[1]) throw new Error(`</${c[1]}> closes <${top?.name}>`);
      i = close.lastIndex;
      continue;
    }
    open.lastIndex = i;
    const o = open.exec(src);
    if (!o) throw new Error(`not a tag at ${i}: ${src.slice(i, i + 30)}`);
    const node: XNode = { name: o[1], attrs: new Map(), children: [], text: '' };
    for (const a of o[2].matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g'))) {
      if (node.attrs.has(a[1])) throw new Error(`${a[1]} twice on <${o[1]}>`);
      node.attrs.set(a[1], decode(a[2], `${o[1]}'s ${a[1]}`));
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(node);
    else if (root) throw new Error('a second root');
    else root = node;
    if (o[3] !== '/') stack.push(node);
    i = open.lastIndex;
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> not closed`);
  if (!root) throw new Error('no root');
  return { declared: decl !== null, root };
}

const all = (n: XNode): XNode[] => [n, ...n.children.flatMap(all)];

// ——— the net ———

const spec: NetworkSpec = {
  name: 'Tom & "Jerry" <2-1>', inputs: 2, loss: 'bce',
  layers: [{ units: 1, activation: 'sigmoid', bias: 'per-unit' }],
  params: { W: [[[0.5, -0.25]]], b: [[0.125]] },
  x: [[1, 2]], y: [[1]],
};

function model(): DiagramModel {
  const v = validateSpec(spec);
  const z = 0.5 * 1 - 0.25 * 2 + 0.125;
  const a = 1 / (1 + Math.exp(-z));
  return diagramModel({
    net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0,
    values: { Z: [[z]], A: [[a]], delta: [[a - 1]] },
  });
}

const file = (name: string | undefined): XNode => parseXml(diagramSvgFile(model(), name)).root;

describe('Diagram SVG: the diagram as a standalone .svg file', () => {
  it('is well-formed XML with a declaration: one <svg> root in the SVG namespace, width and height the viewBox\'s, in px', () => {
    const text = diagramSvgFile(model(), spec.name);
    const { declared, root } = parseXml(text);
    expect(declared).toBe(true);
    expect(root.name).toBe('svg');
    expect(root.attrs.get('xmlns')).toBe('http://www.w3.org/2000/svg');
    const box = root.attrs.get('viewBox')!.split(' ').map(Number);
    expect(box.slice(0, 2)).toEqual([0, 0]);
    expect(box[2]).toBeGreaterThan(0);
    // Plain numbers: px, the viewBox's units (a 100% width, the page's, has no size alone).
    expect(root.attrs.get('width')).toBe(String(box[2]));
    expect(root.attrs.get('height')).toBe(String(box[3]));
    const m = model();
    expect([box[2], box[3]]).toEqual([m.width, m.height]);
  });

  it('says what it is: a <title> with the net\'s name (escaped), the caption as <desc>, then a white background', () => {
    const root = file(spec.name);
    expect(root.children.map((c) => c.name).slice(0, 3)).toEqual(['title', 'desc', 'rect']);
    expect(root.children[0].text).toBe('Tom & "Jerry" <2-1>: 2-1 net, example 1 of 1');
    expect(root.children[1].text).toBe(model().caption);
    const bg = root.children[2];
    expect(Object.fromEntries(bg.attrs)).toEqual({ x: '0', y: '0', width: root.attrs.get('width'), height: root.attrs.get('height'), fill: '#ffffff' });
    // No name: the drawing's title alone.
    expect(file(undefined).children[0].text).toBe('2-1 net, example 1 of 1');
    // Characters XML forbids (a control character, a lone surrogate) do not make the file unreadable.
    expect(file('bad\u0001name\uD800').children[0].text).toBe('bad\uFFFDname\uFFFD: 2-1 net, example 1 of 1');
    // A surrogate pair (U+1F600, an emoji in a name) is one character and kept; a low surrogate alone, or before a
    // high one, is not. The rule is written without a lookbehind (test/lab-old-browser-apis.test.ts).
    expect(file('\uD83D\uDE00 net').children[0].text).toBe('\u{1F600} net: 2-1 net, example 1 of 1');
    expect(file('a\uDE00\uD83Db').children[0].text).toBe('a\uFFFD\uFFFDb: 2-1 net, example 1 of 1');
    expect(file('\uDE00\uD83D\uDE00\uD83D').children[0].text).toBe('\uFFFD\u{1F600}\uFFFD: 2-1 net, example 1 of 1');
  });

  it('has none of the page\'s interactive layers or attributes: no tap targets, hit lines, rings, focus CSS or tooltips', () => {
    const els = all(file(spec.name));
    const attrs = els.flatMap((e) => [...e.attrs.keys()]);
    expect(attrs.filter((a) => /^(class|id|style|tabindex|role|cursor|pointer-events|vector-effect)$|^aria-|^data-|^on/i.test(a))).toEqual([]);
    expect(els.filter((e) => e.name === 'style' || e.name === 'script')).toEqual([]);
    expect(els.filter((e) => e.name === 'title')).toHaveLength(1);
    expect(els.filter((e) => e.attrs.get('fill') === 'transparent' || e.attrs.get('stroke') === 'transparent')).toEqual([]);
    // What is drawn: 3 circles (2 inputs, 1 unit: no focus rings), 3 lines (w1, w2, b1's line to its unit: no hit
    // lines), 2 rects (the background and b1's box: no tap targets), no polygons (tap bands).
    const count = (tag: string) => els.filter((e) => e.name === tag).length;
    expect([count('circle'), count('line'), count('rect'), count('polygon')]).toEqual([3, 3, 2, 0]);
    // No empty groups (the empty .nd-bands, the layers left out).
    expect(els.filter((e) => e.name === 'g' && e.children.length === 0)).toEqual([]);
  });

  it('writes the values shown as text: names, the inputs, z, a and δ of the unit, the weights\' names', () => {
    const texts = all(file(spec.name)).filter((e) => e.name === 'text' && !e.attrs.has('stroke')).map((e) => e.text);
    expect(texts).toEqual(['b1', 'x1', '1', 'x2', '2', 'out', 'z 0.1250', 'a 0.5312', 'δ −0.4688', 'w1', 'w2']);
    // The fonts are attributes (no stylesheet), quotes and all.
    const name = all(file(spec.name)).find((e) => e.text === 'x1')!;
    expect(name.attrs.get('font-family')).toBe('system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  });

  it('draws a haloed label as its halo then the label, without paint-order (SVG 2, unknown to some slide tools)', () => {
    const els = all(file(spec.name));
    expect(els.filter((e) => e.attrs.has('paint-order'))).toEqual([]);
    const texts = els.filter((e) => e.name === 'text');
    const halos = texts.filter((e) => e.attrs.has('stroke'));
    // b1's name and w1's and w2's: each halo right before its label, same place and words, fill the halo's white.
    expect(halos.map((h) => h.text)).toEqual(['b1', 'w1', 'w2']);
    for (const h of halos) {
      const label = texts[texts.indexOf(h) + 1];
      expect([h.attrs.get('stroke'), h.attrs.get('fill')]).toEqual(['#ffffff', '#ffffff']);
      expect([label.text, label.attrs.get('x'), label.attrs.get('y'), label.attrs.has('stroke')]).toEqual([h.text, h.attrs.get('x'), h.attrs.get('y'), false]);
    }
  });
});

describe('the test\'s XML reader refuses what a parser refuses', () => {
  it.each([
    ['<svg><g></svg>', /closes/],
    ['<svg a="1" a="2"/>', /twice/],
    ['<svg a=1/>', /not a tag/],
    ['<svg>Tom & Jerry</svg>', /bare &/],
    ['<svg a="&nbsp;"/>', /bare &/],
    ['<svg/><svg/>', /second root/],
    ['<svg>\u0001</svg>', /does not allow/],
    ['<svg><g>', /not closed/],
  ])('%s', (src, why) => {
    expect(() => parseXml(src)).toThrow(why);
  });
});

describe('Diagram SVG of a wide net drawn as a strip (no weight or bias drawn one by one)', () => {
  // 2 inputs → 14 tanh units → 1 unit: 14 > MAX_SHOWN (10), so layer 1 is a strip of 14 cells, its weights grey bands,
  // and no weight is a line of its own: the page's group of weights and biases holds nothing the file draws.
  const wide = WIDE;
  const wideModel = (): DiagramModel => {
    const v = validateSpec(wide);
    return diagramModel({
      net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {}, summarise: true,
    });
  };
  const drawnWide = (): XNode => parseXml(diagramSvgFile(wideModel(), wide.name)).root;

  it('its <desc> says what is drawn, not what the page\'s Expand toggle does (a file has none); the page\'s caption still does', () => {
    // Layer 1's 14 tanh units are the strip; the 2 inputs and the 1 output are drawn one by one.
    const desc = drawnWide().children.find((c) => c.name === 'desc')!;
    expect(desc.text).toBe('14 units of layer 1 drawn as a strip; the grey bands are all their weights.');
    expect(wideModel().caption).toBe('14 units of layer 1 drawn as a strip; the grey bands are all their weights. Expand to select them one by one.');
  });

  it('writes no group with nothing drawn in it, however deep (an empty <g> held an empty <g>)', () => {
    const els = all(drawnWide());
    const drawsSomething = (n: XNode): boolean => n.name !== 'g' || n.children.some(drawsSomething);
    expect(els.filter((e) => e.name === 'g' && !drawsSomething(e))).toEqual([]);
    // The strip is there: its 14 cells (one a unit) and its outline inside one group.
    const strip = els.find((e) => e.name === 'g' && e.attrs.get('shape-rendering') === 'crispEdges')!;
    expect(strip.children.filter((c) => c.name === 'rect')).toHaveLength(15);
  });
});
