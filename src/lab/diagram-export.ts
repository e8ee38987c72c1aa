/**
 * The network diagram as a standalone .svg file (the lab's "Diagram SVG" download, file-actions.ts), for slides:
 * PowerPoint, Keynote, Google Slides, or LaTeX through Inkscape or the `svg` package. Drawn from the model the screen
 * draws (NetworkDiagram.shownModel: diagramModel of the view shown, its layout and strips) by the screen's own
 * modelToSvg (./diagram-svg.ts), called without a palette so that the file is the light drawing whatever the page's
 * scheme, then written out as XML text without what only the page uses:
 *   - the interactive layers: tap targets (.nd-tap), hit lines (.nd-edge-hit), focus rings (.nd-ring), the
 *     .nd-selection, .nd-focus and .nd-hover layers, and the <style> that shows the rings (without it every ring
 *     would be drawn);
 *   - the attributes for the page: class, id, style, tabindex, role, aria-*, data-*, cursor, pointer-events, on*;
 *   - the tooltips: every <title> but the file's own.
 * It adds what a file needs alone: the XML declaration, xmlns, width and height in px (the viewBox's units), a
 * <title> naming the net, a <desc> with the drawing's description (the caption, which units are not drawn, without
 * the page's "Expand to select them one by one": a file has no Expand) where there is one, and a white
 * background. Fonts are presentation attributes already (font-family, font-size, font-weight): no stylesheet. A
 * haloed label is written as its halo and the label over it (write: paint-order, SVG 2, is not known everywhere).
 * Nothing is selected in it (shownModel drops the selection): a half-highlighted weight in a figure says nothing.
 */
import type { DiagramModel } from './diagram-model.ts';
import { modelToSvg } from './diagram-svg.ts';

/** What the writer reads of an element (a DOM Element has all of it; Node tests give a small stand-in). */
export interface SvgSource {
  readonly tagName: string;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  readonly children: ArrayLike<SvgSource>;
  readonly textContent: string | null;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The page's layers, left out of the file with everything in them. */
const PAGE_ONLY_CLASSES = ['nd-tap', 'nd-edge-hit', 'nd-ring', 'nd-selection', 'nd-focus', 'nd-hover'];

/** Attributes for the page alone (focus, clicks, assistive technology's roles, the scripts' keys, CSS hooks). */
const PAGE_ONLY_ATTR = /^(?:class|id|style|tabindex|role|cursor|pointer-events|focusable|aria-.*|data-.*|on.*)$/i;

/** The root's attributes the file writes itself (width 100% on the page; px in the file). */
const ROOT_OWN = new Set(['xmlns', 'width', 'height', 'viewbox']);

/**
 * Characters XML 1.0 does not allow (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF): a net's name
 * from a JSON file may hold any, and one made the file unreadable. Each becomes U+FFFD. A surrogate pair is matched
 * first and kept whole, so that a surrogate left to the second alternative is a lone one (no lookbehind: a
 * SyntaxError before Safari 16.4, test/lab-old-browser-apis.test.ts).
 */
const NOT_XML = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Text content, escaped. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, (c) => (c.length === 2 ? c : '\uFFFD')).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute's value, escaped for double quotes (tab, LF and CR as references: a parser would turn them into spaces). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const classesOf = (el: SvgSource): string[] => (attr(el, 'class') ?? '').split(/\s+/);

function attr(el: SvgSource, name: string): string | undefined {
  for (let i = 0; i < el.attributes.length; i++) if (el.attributes[i].name === name) return el.attributes[i].value;
  return undefined;
}

/** Whether `el` (with what it holds) is the page's alone. */
const pageOnly = (el: SvgSource): boolean =>
  el.tagName === 'style' || el.tagName === 'title' || classesOf(el).some((c) => PAGE_ONLY_CLASSES.includes(c));

function attrsOf(el: SvgSource, skip: (name: string) => boolean): string {
  let out = '';
  for (let i = 0; i < el.attributes.length; i++) {
    const { name, value } = el.attributes[i];
    if (!PAGE_ONLY_ATTR.test(name) && !skip(name)) out += ` ${name}="${xmlAttr(value)}"`;
  }
  return out;
}

/** A haloed text's attributes for its halo (HALO_SPLIT). */
const HALO_ATTRS = new Set(['stroke', 'stroke-width', 'stroke-linejoin', 'paint-order']);

/**
 * `el` and what it holds as XML lines at `depth`: an element holds elements or text, never both (modelToSvg's); a
 * group with nothing drawn in it is left out. HALO_SPLIT: a text with a halo (paint-order stroke: its stroke under its
 * fill) is written as two, the halo (stroke and fill the stroke's colour) and over it the text without a stroke:
 * the same picture, also where paint-order is not known (an SVG 2 property; where it is ignored the stroke is drawn
 * over the letters, and a 4-unit white stroke on 13-unit text leaves them nearly unreadable).
 */
function write(el: SvgSource, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const tag = el.tagName;
  if (el.children.length > 0 || tag === 'g') {
    // What the children write first: a group whose children all write nothing (.nd-params of a net drawn as strips,
    // its weights and biases none) is left out too, not written as an empty <g></g>.
    const inner: string[] = [];
    for (const c of Array.from(el.children)) if (!pageOnly(c)) write(c, depth + 1, inner);
    if (inner.length === 0) return;
    out.push(`${pad}<${tag}${attrsOf(el, () => false)}>`, ...inner, `${pad}</${tag}>`);
    return;
  }
  const text = xmlText(el.textContent ?? '');
  const element = (attrs: string): string => (text === '' ? `${pad}<${tag}${attrs}/>` : `${pad}<${tag}${attrs}>${text}</${tag}>`);
  const halo = tag === 'text' && attr(el, 'paint-order') === 'stroke' ? attr(el, 'stroke') : undefined;
  if (halo === undefined) {
    out.push(element(attrsOf(el, () => false)));
    return;
  }
  out.push(
    element(`${attrsOf(el, (n) => n === 'fill' || n === 'paint-order')} fill="${xmlAttr(halo)}"`),
    element(attrsOf(el, (n) => HALO_ATTRS.has(n))),
  );
}

/**
 * The drawing of `model` as the text of a standalone SVG file; `name`: the net's (the spec's `name`; undefined: none),
 * the first words of its <title>.
 */
export function diagramSvgFile(model: DiagramModel, name: string | undefined): string {
  return svgFileText(modelToSvg(model, undefined), model, name);
}

/** diagramSvgFile's writer, given modelToSvg's drawing of `model`. */
export function svgFileText(root: SvgSource, model: DiagramModel, name: string | undefined): string {
  const { width, height } = model;
  const title = name === undefined || name.trim() === '' ? model.title : `${name.trim()}: ${model.title}`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"${attrsOf(root, (n) => ROOT_OWN.has(n.toLowerCase()))}>`,
    `  <title>${xmlText(title)}</title>`,
  ];
  if (model.description !== '') out.push(`  <desc>${xmlText(model.description)}</desc>`);
  out.push(`  <rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  for (const c of Array.from(root.children)) if (!pageOnly(c)) write(c, 1, out);
  out.push('</svg>', '');
  return out.join('\n');
}
