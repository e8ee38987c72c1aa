/**
 * The course lab's network diagram as SVG (src/lab/diagram.ts, NetworkDiagram, draws it and handles the keys, the
 * clicks and the tooltips): `modelToSvg` turns diagramModel(view) (./diagram-model.ts) into the <svg> — weights and
 * biases as buttons with their tap targets, units, inputs and strips, the selection, focus and hover layers — with
 * the classes diagram.ts's header lists.
 */
import { stripKey } from './diagram-keys.ts';
import {
  BIAS_NAME_DY, BIAS_STROKE, BIAS_STROKE_SELECTED, type DiagramBias, type DiagramEdge, type DiagramModel, type DiagramNode, type DiagramStrip,
  EDGE_LABEL_SIZE, MARKER_SIZE, NEGATIVE, POSITIVE, r2, type Segment, stripColour, ZERO,
} from './diagram-model.ts';
import { band } from './diagram-geometry.ts';
import { NODE_STROKE } from './node-text.ts';
import { LIGHT, type Palette } from './palette.ts';



const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
/** The light palette's ink (the tooltip's background: light text on it in either scheme). */
export const INK = LIGHT.diagram.ink;
/** The diagram's colours (palette.ts): the model's sign colours, as this scheme draws them. */
type Colours = Palette['diagram'];
const signColour = (c: string, p: Colours): string => (c === POSITIVE ? p.positive : c === NEGATIVE ? p.negative : c === ZERO ? p.zero : c);

type Attrs = Record<string, string | number>;

/**
 * The focus ring of an edge or bias (the browser's default is a box around the whole group): the wide hit line,
 * drawn under the visible line, turns into a band of ink around it, and a bias's box takes an ink border. The light
 * palette's ink (#111827) is ≥ 3:1 against white and every edge colour (blue 3.4, orange 4.9, grey 6.9: WCAG 2.2 focus
 * appearance); the dark's (#f3f4f6) against #111827 and its edge colours (palette.ts). The ink is the drawing's
 * `color` (currentColor here). NOTE: 16 units wide while focused (12 otherwise), so that the band shows ≥ 5 units
 * each side of the widest line (6): ≥ 2 px on screen down to scale 0.4. In the SVG itself so that the diagram needs no stylesheet;
 * a page's CSS may override it.
 */
const FOCUS_CSS = '.nd-edge,.nd-bias{outline:none}.nd-edge:focus-visible .nd-edge-hit,.nd-bias:focus-visible .nd-edge-hit,.nd-focus .nd-edge-hit{stroke:currentColor;stroke-width:16}'
  + '.nd-bias:focus-visible .nd-bias-box{stroke:currentColor;stroke-width:5}'
  // The focused weight again on top of the others (.nd-focus, filled on focusin): shown only while a weight is
  // :focus-visible, the one test of whether the ring shows (a weight clicked with the mouse has none).
  + '.nd-focus{display:none}.nd-params:has(.nd-edge:focus-visible) .nd-focus{display:inline}'
  // A unit, input or strip: a dark ring 5 units outside its circle or box, shown while it is :focus-visible.
  + '.nd-node,.nd-strip{outline:none}.nd-ring{display:none}.nd-node:focus-visible .nd-ring,.nd-strip:focus-visible .nd-ring{display:inline}';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const segAttrs = (s: Segment): Attrs => ({ x1: r2(s.x1), y1: r2(s.y1), x2: r2(s.x2), y2: r2(s.y2) });

/** Text with a halo (white in the light palette, the background in the dark), so it stays readable over edges. */
function haloText(x: number, y: number, text: string, attrs: Attrs, p: Colours): SVGTextElement {
  return svg('text', { x: r2(x), y: r2(y), 'text-anchor': 'middle', stroke: p.halo, 'stroke-width': 4, 'stroke-linejoin': 'round', 'paint-order': 'stroke', ...attrs }, text);
}

/** The name of the group of units, inputs, strips, weights and biases: what the keys do there. */
const ITEMS_LABEL = 'Inputs, units, weights and biases: arrow keys move, Enter selects a weight or bias';

/**
 * A weight's or bias's button, named by its <title> (the hover tooltip too). NOTE: no aria-label beside it: with
 * one, the <title> became the description, the same words, and a screen reader read each button's name twice.
 */
function button(cls: string, key: string, ariaLabel: string, selected: boolean): SVGGElement {
  const g = svg('g', { class: selected ? `${cls} selected` : cls, tabindex: -1, role: 'button', 'aria-pressed': String(selected), 'data-param': key, cursor: 'pointer' });
  g.append(svg('title', {}, ariaLabel));
  return g;
}

/**
 * A weight's or bias's tap target, under all it draws: a transparent stroke TAP_PX CSS px wide whatever the drawing's
 * scale (vector-effect non-scaling-stroke: WCAG 2.5.8's 24 px), around a polygon TAP_CORE units each side of the line
 * or box, so that the button's box is never 0 px tall (a level weight's was: tools, such as puppeteer's tap, found it
 * not visible). NOTE: the 12-unit hit line alone was 8.4 px wide on a 390 px phone (scale 0.7). The targets overlap
 * where weights cross: a click or tap selects the nearest parameter (NetworkDiagram.picked).
 */
const TAP_PX = 24;
const TAP_CORE = 2;
const tapAttrs: Attrs = { class: 'nd-tap', fill: 'transparent', stroke: 'transparent', 'stroke-width': TAP_PX, 'vector-effect': 'non-scaling-stroke', 'pointer-events': 'visible' };

const segmentTap = (s: Segment): SVGPolygonElement => svg('polygon', { ...tapAttrs, points: band(s, TAP_CORE) });

/** A negative weight's or bias's dash pattern (the model's), as an attribute; none for a solid one. */
const dashOf = (p: { dash: string | undefined }): Attrs => (p.dash === undefined ? {} : { 'stroke-dasharray': p.dash });

/** A weight's hit line and visible line, in palette `p`'s colours; `copy`: for the .nd-focus layer, taking no clicks. */
export function edgeLines(e: DiagramEdge, copy = false, p: Colours = LIGHT.diagram): SVGLineElement[] {
  // The hit line first: focused, it is the ring under the visible line (FOCUS_CSS).
  return [
    svg('line', { ...segAttrs(e), class: 'nd-edge-hit', stroke: 'transparent', 'stroke-width': 12, 'pointer-events': copy ? 'none' : 'stroke' }),
    svg('line', { ...segAttrs(e), class: 'nd-edge-line', stroke: signColour(e.color, p), 'stroke-width': r2(e.width), 'stroke-linecap': 'round', 'stroke-opacity': e.selected ? 1 : 0.85, ...dashOf(e) }),
  ];
}

function edgeEl(e: DiagramEdge, p: Colours): SVGGElement {
  const g = button('nd-edge', e.key, e.ariaLabel, e.selected);
  g.append(segmentTap(e), ...edgeLines(e, false, p));
  return g;
}

/**
 * The .nd-hover layer's contents for weight or bias `button`, the one a click at the pointer selects: its line(s)
 * again on top over a halo (the palette's ink at 0.3), and its tap targets and hit lines, under its name (the <title> the native
 * tooltip shows). NOTE: the tooltip and the cursor are the top element's: without this, near a crossing the mouse
 * read "w3" and a click selected w2. Copies without their classes: the drawing's own are those CSS and scripts find.
 */
export function hoverEls(button: SVGGElement, p: Colours = LIGHT.diagram): Node[] {
  const copy = (el: Element, attrs: Attrs): Element => {
    const c = el.cloneNode() as Element;
    c.removeAttribute('class');
    for (const [k, v] of Object.entries(attrs)) c.setAttribute(k, String(v));
    return c;
  };
  const lines = [...button.querySelectorAll('.nd-edge-line, .nd-bias-line')];
  const halo: Attrs = { stroke: p.ink, 'stroke-opacity': 0.3, 'stroke-dasharray': 'none', 'stroke-linecap': 'round', 'pointer-events': 'none' };
  return [
    button.querySelector(':scope > title')!.cloneNode(true),
    ...lines.map((l) => copy(l, { ...halo, 'stroke-width': r2(Number(l.getAttribute('stroke-width')) + 6) })),
    ...lines.map((l) => copy(l, { 'pointer-events': 'none' })),
    ...[...button.querySelectorAll('.nd-tap, .nd-edge-hit')].map((t) => copy(t, {})),
  ];
}

function biasEl(b: DiagramBias, p: Colours): SVGGElement {
  const colour = signColour(b.color, p);
  const g = button('nd-bias', b.key, b.ariaLabel, b.selected);
  const [x0, y0] = [b.x - b.width / 2, b.y - b.height / 2];
  g.append(...b.lines.map(segmentTap), svg('rect', { ...tapAttrs, x: r2(x0 - TAP_CORE), y: r2(y0 - TAP_CORE), width: r2(b.width + 2 * TAP_CORE), height: r2(b.height + 2 * TAP_CORE) }));
  for (const s of b.lines) {
    g.append(svg('line', { ...segAttrs(s), class: 'nd-edge-hit', stroke: 'transparent', 'stroke-width': 12, 'pointer-events': 'stroke' }));
    g.append(svg('line', { ...segAttrs(s), class: 'nd-bias-line', stroke: colour, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' }));
  }
  g.append(svg('rect', {
    class: 'nd-bias-box', x: r2(x0), y: r2(y0), width: b.width, height: b.height, rx: 4,
    fill: b.selected ? p.biasSelectedFill : p.biasFill, stroke: b.selected ? p.ink : colour, 'stroke-width': b.selected ? BIAS_STROKE_SELECTED : BIAS_STROKE, ...dashOf(b),
  }));
  // The model sizes the box to hold the name (diagram-model.ts, biasBox); a turned box's name reads bottom to top.
  const size = b.nameSize;
  const name = haloText(b.x, b.y + size * BIAS_NAME_DY, b.name, { class: 'nd-bias-name', 'font-size': r2(size), 'font-family': FONT, fill: p.ink, 'pointer-events': 'none', 'stroke-width': 3 }, p);
  if (b.turned) name.setAttribute('transform', `rotate(-90 ${r2(b.x)} ${r2(b.y)})`);
  g.append(name);
  return g;
}

/**
 * A strip of cells (a wide layer) or the input image: one rect per cell, pixel-crisp, with its description; each cell
 * coloured in `pal` from the model's value (stripColour; LIGHT for a download).
 */
function stripEl(st: DiagramStrip, pal: Palette): SVGGElement {
  const p = pal.diagram;
  const g = svg('g', { class: `nd-strip nd-${st.kind}`, role: 'img', tabindex: -1, 'data-strip': st.column, 'shape-rendering': 'crispEdges' });
  g.append(svg('title', {}, st.title));
  const x0 = st.x - st.w / 2;
  const y0 = st.y - st.h / 2;
  const cw = st.w / st.cols;
  const ch = st.h / st.rows;
  st.cells.forEach((v, k) => {
    const r = Math.floor(k / st.cols);
    const col = k % st.cols;
    g.append(svg('rect', { x: r2(x0 + col * cw), y: r2(y0 + r * ch), width: r2(cw + 0.3), height: r2(ch + 0.3), fill: stripColour(v, st.shade, pal) }));
  });
  g.append(svg('rect', { x: r2(x0), y: r2(y0), width: r2(st.w), height: r2(st.h), fill: 'none', stroke: p.ink, 'stroke-width': 1.5 }));
  g.append(svg('rect', { class: 'nd-ring', x: r2(x0 - RING_GAP), y: r2(y0 - RING_GAP), width: r2(st.w + 2 * RING_GAP), height: r2(st.h + 2 * RING_GAP), fill: 'none', stroke: p.ink, 'stroke-width': RING_WIDTH, 'pointer-events': 'none' }));
  return g;
}

/** A focused unit's or strip's ring: its width, and its gap outside the circle's (box's) edge, in viewBox units. */
const RING_WIDTH = 4;
const RING_GAP = 5;

/**
 * A node: its circle, its name and, inside the circle under the name, its value lines. Focusable (tabindex −1: the
 * diagram's roving Tab stop), named by its values, so that they reach a keyboard, a touch screen and a screen reader.
 */
function nodeEl(nd: DiagramNode, p: Colours): SVGGElement {
  const g = svg('g', { class: `nd-node nd-${nd.kind}`, 'data-node': nd.key, tabindex: -1, role: 'img' });
  g.append(svg('title', {}, nd.title));
  g.append(svg('circle', { class: 'nd-node-circle', cx: nd.x, cy: nd.y, r: nd.r, fill: nd.kind === 'input' ? p.inputFill : p.unitFill, stroke: p.ink, 'stroke-width': NODE_STROKE }));
  // Sizes and baselines: the model's (src/lab/node-text.ts), the value lines inside the circle.
  const t = nd.text;
  g.append(svg('text', { class: 'nd-node-name', x: nd.x, y: r2(nd.y + t.nameDy), 'text-anchor': 'middle', 'font-size': r2(t.nameSize), 'font-weight': 700, 'font-family': FONT, fill: p.ink }, nd.name));
  const values = svg('g', { class: 'nd-node-values', 'font-family': MONO, 'font-size': r2(t.valueSize), fill: p.muted, 'text-anchor': 'middle' });
  nd.lines.forEach((line, i) => values.append(svg('text', { x: nd.x, y: r2(nd.y + t.valueDys[i]) }, line)));
  g.append(values);
  g.append(svg('circle', { class: 'nd-ring', cx: nd.x, cy: nd.y, r: r2(nd.r + NODE_STROKE / 2 + RING_GAP + RING_WIDTH / 2), fill: 'none', stroke: p.ink, 'stroke-width': RING_WIDTH, 'pointer-events': 'none' }));
  return g;
}

/**
 * The drawing; `stop` (an item's key, itemKey) is the one unit, input, strip, weight or bias with tabindex 0 (none when
 * undefined); in `pal`'s colours, LIGHT unless told (the page passes its scheme's; a download stays light).
 */
export function modelToSvg(m: DiagramModel, stop: string | undefined, pal: Palette = LIGHT): SVGSVGElement {
  const p = pal.diagram;
  const root = svg('svg', {
    class: 'network-diagram', viewBox: `0 0 ${m.width} ${m.height}`, width: '100%', role: 'group',
    'aria-label': m.title, preserveAspectRatio: 'xMidYMid meet', style: 'display:block', color: p.ink,
  });
  root.append(svg('title', {}, `${m.title}. ${m.caption}`));
  // The buttons in parameter order (w1 … then b1 …), one Tab stop (the arrow keys move between them); the selected
  // one is drawn again on top, outlined, in a layer that takes no clicks and is hidden from assistive technology.
  const edgeLayer = svg('g', { class: 'nd-edges' });
  for (const e of m.edges) edgeLayer.append(edgeEl(e, p));
  const selection = svg('g', { class: 'nd-selection', 'pointer-events': 'none', 'aria-hidden': 'true' });
  // The focused weight, again on top (NetworkDiagram.showFocus fills it on focusin): the weights drawn after it hid
  // its ring where they crossed it. Moving the focused element itself in the DOM would blur it.
  const focus = svg('g', { class: 'nd-focus', 'pointer-events': 'none', 'aria-hidden': 'true' });
  for (const e of m.edges.filter((x) => x.selected)) {
    selection.append(
      svg('line', { ...segAttrs(e), class: 'nd-edge-outline', stroke: p.ink, 'stroke-width': r2(e.width + 5), 'stroke-linecap': 'round' }),
      svg('line', { ...segAttrs(e), stroke: signColour(e.color, p), 'stroke-width': r2(e.width), 'stroke-linecap': 'round', ...dashOf(e) }),
    );
  }
  for (const b of m.biases.filter((x) => x.selected)) {
    for (const s of b.lines) selection.append(svg('line', { ...segAttrs(s), class: 'nd-edge-outline', stroke: p.ink, 'stroke-width': 5, 'stroke-linecap': 'round' }));
  }
  const labels = svg('g', { class: 'nd-edge-labels', 'pointer-events': 'none', 'font-family': FONT, 'font-size': EDGE_LABEL_SIZE, fill: p.ink });
  for (const e of m.edges) if (e.label) labels.append(haloText(e.label.x, e.label.y + 4, e.name, { class: 'nd-edge-label', 'font-weight': e.selected ? 700 : 400 }, p));
  const nodeLayer = svg('g', { class: 'nd-nodes' });
  for (const nd of m.nodes) nodeLayer.append(nodeEl(nd, p));
  for (const mk of m.markers) {
    const text = haloText(mk.x, mk.y + 5, mk.text, { class: 'nd-more', 'font-family': FONT, 'font-size': MARKER_SIZE, 'font-weight': 600, fill: p.muted }, p);
    if (mk.turned) text.setAttribute('transform', `rotate(-90 ${r2(mk.x)} ${r2(mk.y)})`);
    nodeLayer.append(text);
  }
  const biasLayer = svg('g', { class: 'nd-biases' });
  for (const b of m.biases) biasLayer.append(biasEl(b, p));
  const bandLayer = svg('g', { class: 'nd-bands', 'aria-hidden': 'true' });
  for (const pts of m.bands) bandLayer.append(svg('polygon', { points: pts, fill: '#94a3b8', 'fill-opacity': 0.22, stroke: '#94a3b8', 'stroke-opacity': 0.5 }));
  for (const st of m.strips) nodeLayer.append(stripEl(st, pal));
  const params = svg('g', { class: 'nd-params' });
  params.append(edgeLayer, selection, focus, biasLayer, svg('g', { class: 'nd-hover', 'aria-hidden': 'true', cursor: 'pointer' }));
  // One group around every item the arrow keys visit: its name says what the keys do, wherever focus lands (a unit
  // is the Tab stop where no parameter is drawn one by one: MNIST summarised).
  const items = svg('g', { class: 'nd-items', role: 'group', 'aria-label': ITEMS_LABEL });
  items.append(params, nodeLayer);
  root.append(svg('style', {}, FOCUS_CSS), bandLayer, items, labels);
  for (const el of root.querySelectorAll(ITEMS)) if (itemKey(el) === stop) el.setAttribute('tabindex', '0');
  return root;
}

/** The elements the arrow keys visit: weights and biases, units and inputs, strips. */
export const ITEMS = '[data-param],[data-node],[data-strip]';
/** An item's key: its data-param, its data-node, or "strip:<column>". */
export function itemKey(el: Element): string | undefined {
  const strip = el.getAttribute('data-strip');
  return el.getAttribute('data-param') ?? el.getAttribute('data-node') ?? (strip === null ? undefined : stripKey(Number(strip)));
}

