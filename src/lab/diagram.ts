/**
 * The course lab's network diagram: an SVG of the net with the live values of one example — inputs, then
 * every layer as a column left → right; each unit shows its name and its z, a and δ; every weight is an edge
 * (colour by sign, width by |w|) and every bias value a small box; each edge and bias is a button that
 * selects that parameter (click, or Enter/Space), so the lab can explain its gradient.
 *
 * Keyboard: the units, inputs, strips, weights and biases are ONE Tab stop (a roving tabindex; all of them in a
 * role="group" named ITEMS_LABEL, which says what the keys do, so that a screen reader landing on a unit hears it
 * too): the selected parameter has tabindex="0" (the first drawn parameter when the selected is not drawn, the first
 * item when none is), every other -1, and the one focused last keeps the 0 when focus leaves, also when the diagram
 * is drawn again (a Forward, an Update, a chunk of Train) while focus is elsewhere — not when another net is shown
 * (another view.net: a preset, an edit, a backend switch; the lab loads the net anew): there the selected parameter
 * is. Inside, the arrow keys move (src/lab/diagram-keys.ts, which says the order: inputs, the parameters into layer
 * 1, its units, …, the output units): along the way the layers run (Right / Left in the left → right drawing, Down /
 * Up top → bottom) to the next / previous list's item at the same place; across it to the next / previous item of
 * the list; Home / End to the first / last. Focus stays on the same item when the diagram is drawn again. A focused unit, input or strip (the keyboard, a click, a tap: a touch
 * screen has no hover) shows its <title> — its values — in a tooltip at the page's text size; Escape hides it until
 * focus moves to another item (the diagram drawn again with the unit still focused does not bring it back); while it
 * shows, an aria-label (the same words) names the element, its <title> empty (showTip). Space on a unit does nothing.
 *
 * The pure part — positions, labels, aria-labels, which units are elided or summarised — is
 * `diagramModel(view)` in src/lab/diagram-model.ts (Node tests need no DOM); ./diagram-svg.ts turns that model into
 * SVG; this file handles selection (click, Enter/Space), the arrow keys, the tooltips and the Expand toggle. The caption is not in
 * the SVG: it is HTML text under it (the SVG aria-describedby it), so that it is as large as the page's text whatever
 * the drawing's scale (in the viewBox it was ~6 px on screen for MNIST at 1280 × 800).
 *
 * CSS classes (all optional — presentation attributes give a readable default without any stylesheet):
 *   .network-diagram     the <svg>
 *   .nd-node             a unit or input: <g data-node="z:<layer>:<unit>"> (inputs: data-node="x:<index>");
 *                        .nd-input / .nd-unit tell which
 *                        (role="img", tabindex="0|-1", named by its <title>: its values; by an aria-label instead
 *                        while its .nd-tip shows)
 *   .nd-node-circle, .nd-node-name, .nd-node-values   its circle, its name, its z / a / δ lines
 *   .nd-ring             a focused unit's or strip's ring (shown while it is :focus-visible)
 *   .nd-tip              the <div> (in the host, aria-hidden) of a focused unit's, input's or strip's tooltip
 *   .nd-items            the <g role="group"> of every item the arrow keys visit: .nd-params, then .nd-nodes
 *   .nd-params           the <g> of every weight and bias button (and .nd-selection, .nd-focus)
 *   .nd-edge             a weight: <g role="button" tabindex="0|-1" data-param="W[l][i][j]">; .selected when chosen
 *   .nd-edge-line        the visible line (stroke = sign colour, stroke-width = |w|)
 *   .nd-edge-hit         the transparent line under it (12 units); focused, the dark focus ring
 *   .nd-tap              a weight's or bias's tap target, first in its button: a transparent band ≥ 24 CSS px wide
 *                        along its line (each line of a bias, and its box); where they overlap, the nearest wins
 *   .nd-selection        a copy of the selected parameter's line(s) drawn on top (no clicks, aria-hidden)
 *   .nd-focus            after it, a copy of the focused weight's hit line and line (no clicks, aria-hidden), shown
 *                        only while that weight is :focus-visible: its ring on top of every other weight
 *   .nd-hover            last (aria-hidden, empty unless a mouse or pen is over a weight or bias): the one a click
 *                        there selects (NetworkDiagram.picked), outlined, on top, with its tap target and <title>,
 *                        so that the tooltip and the cursor are that one's, not those of the one drawn on top
 *   .nd-edge-outline     the dark outline under the selected parameter's line(s), in .nd-selection
 *   .nd-edge-label       a weight's name on its edge (small nets only)
 *   .nd-bias             a bias value: <g role="button" tabindex="0|-1" data-param="b[l][i]">; .selected when chosen
 *   .nd-bias-box, .nd-bias-name, .nd-bias-line   its box, its name, its edge(s) to the unit(s) it feeds
 *   .nd-more             the "⋯ +k" marker of an elided layer, written along it
 *   .nd-foot             the <div> after the <svg>: the Expand / Summarise toggle (.strip-toggle, wide layers only),
 *                        then the caption
 *   .nd-caption          the caption: a <p>, the SVG's aria-describedby
 */
import type { ParamId } from '../notation/names.ts';
import { isMoveKey, type KeyedItem, keyedItems, moveFrom, tabStop } from './diagram-keys.ts';
import {
  COMPACT_ABOVE, diagramCaption, type DiagramEdge, diagramModel, type DiagramModel, diagramSizes, type DiagramView, MAX_SHOWN,
} from './diagram-model.ts';
import { chooseLayout, type Layout, type Shape, shapeDistance } from './diagram-geometry.ts';
import { INK, ITEMS, MONO, edgeLines, hoverEls, itemKey, modelToSvg } from './diagram-svg.ts';
import { LIGHT, type Palette, palette } from './palette.ts';

/** Makes each caption's id unique in the page (the SVG is aria-describedby its caption). */
let captionIds = 0;

/** How a weight or bias was selected: a click or tap, or Enter/Space on the focused one. */
export type SelectedVia = 'pointer' | 'keyboard';

/**
 * The diagram in a host element. Clicks and Enter/Space on an edge or bias call onSelect with its ParamId and how
 * it was chosen (a click or tap: 'pointer'; Enter/Space: 'keyboard'); the host decides what is selected and calls
 * render again (the diagram keeps no selection of its own).
 */
export class NetworkDiagram {
  private byKey = new Map<string, ParamId>();
  /** The drawn units, inputs, strips, weights and biases, for the arrow keys. */
  private items: KeyedItem[] = [];
  /** The drawn weights by data-param, for the focused one's copy on top. */
  private edges = new Map<string, DiagramEdge>();
  /** Each drawn weight's and bias's lines and a bias's box (viewBox units), by data-param: which one a tap is nearest. */
  private shapes = new Map<string, Shape>();
  /** Where a mouse or pen is over the host (client px), for .nd-hover. */
  private pointer: { x: number; y: number } | null = null;
  /** The item focused last (its key), the Tab stop when the diagram is drawn again with focus elsewhere. */
  private lastFocused: string | null = null;
  /** The item whose tooltip Escape hid (its key): hidden through redraws until focus moves to another item. */
  private tipDismissed: string | null = null;
  /** The element whose tooltip shows, and its <title>, emptied meanwhile, and the title's text (showTip). */
  private titled: { el: SVGGElement; title: Element; text: string } | null = null;
  /** Wide layers one unit at a time (the "Expand" toggle) instead of as strips. */
  private expanded = false;
  private last: DiagramView | null = null;
  /** The palette the drawing was made in (its hover and focus copies take the same). */
  private colours: Palette = LIGHT;
  private layout: Layout = 'columns';

  /**
   * In a host of fixed size (CSS: --diagram-fit: box, the 1280 × 800 workspace, and the one column on a screen wider
   * than tall, 80vh) the layout that draws larger, layers top → bottom or left → right; where both draw the same size,
   * tall nets in a host wider than tall run top → bottom. Elsewhere (the one column on an upright screen: the host is
   * as tall as its SVG and the caption under it) layers go left → right.
   */
  private layoutFor(view: DiagramView): Layout {
    if (getComputedStyle(this.host).getPropertyValue('--diagram-fit').trim() !== 'box') return 'columns';
    const box = this.host.getBoundingClientRect();
    // What is drawn unit by unit: a layer summarised as a strip (or the image) is not a tall column of circles.
    // NOTE: the rule alone decided before the sizes were compared: it ran the 3-1 study-hours net (no tall layer) left
    // → right, a tall drawing at scale 0.56 where top → bottom is 0.82; and counting the strips had run the 2-16-16-1
    // spirals top → bottom, a narrow drawing with its unit names ~6 px.
    const summarised = !this.expanded;
    const tall = [view.net.inputs, ...view.net.layers.map((l) => l.units)].some((u) => u >= COMPACT_ABOVE && !(summarised && u > MAX_SHOWN));
    const tie = tall && box.height >= 150 && box.width / box.height > 1.15 ? 'rows' : 'columns';
    // The SVG's box: inside the host's border, less the caption and toggle under it (render() fills them first).
    return chooseLayout(diagramSizes(this.drawn(view)), { width: this.host.clientWidth, height: this.host.clientHeight - this.foot.offsetHeight }, tie);
  }

  /** The view as drawn: wide layers summarised unless expanded (or the view says). */
  private drawn(view: DiagramView): DiagramView {
    return { summarise: this.wide(view) && !this.expanded, ...view };
  }

  /**
   * The model of the drawing shown now (its layout, its wide layers summarised or expanded, its values) with nothing
   * selected, for the Diagram SVG file (diagram-export.ts); undefined before the first render.
   */
  shownModel(): DiagramModel | undefined {
    return this.last ? diagramModel({ layout: this.layout, ...this.drawn(this.last), selected: undefined }) : undefined;
  }

  /** A layer wider than MAX_SHOWN: the Expand toggle is shown. */
  private wide(view: DiagramView): boolean {
    return [view.net.inputs, ...view.net.layers.map((l) => l.units)].some((u) => u > MAX_SHOWN);
  }

  /** Under the drawing: the Expand toggle (wide layers only) and the caption, at the page's text size. */
  private readonly foot: HTMLDivElement;
  private readonly caption: HTMLParagraphElement;
  /**
   * The focused unit's, input's or strip's tooltip (its values, as its <title> gives a mouse on hover): HTML at the
   * page's text size over the drawing, shown on focus — the keyboard, a tap — and hidden on blur or Escape. Hidden
   * from assistive technology: the focused element's name says the same.
   */
  private readonly tip: HTMLDivElement;

  constructor(private readonly host: HTMLElement, private readonly onSelect: (p: ParamId, via: SelectedVia) => void) {
    this.foot = document.createElement('div');
    this.foot.className = 'nd-foot';
    this.caption = document.createElement('p');
    this.caption.className = 'nd-caption';
    this.caption.id = `nd-caption-${++captionIds}`;
    this.tip = document.createElement('div');
    this.tip.className = 'nd-tip';
    this.tip.setAttribute('aria-hidden', 'true');
    this.tip.hidden = true;
    this.tip.style.cssText = `position:absolute;z-index:2;max-width:calc(100% - 8px);box-sizing:border-box;padding:3px 7px;border-radius:4px;background:${INK};color:#fff;font:0.85rem/1.35 ${MONO};pointer-events:none;white-space:normal`;
    // The tooltip is placed in the host's box.
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative';
    // A new size may call for the other layout (a window resized, a phone turned): draw again when it does.
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => {
        if (this.last && this.layoutFor(this.last) !== this.layout) this.render(this.last);
      }).observe(host);
    }
    host.addEventListener('click', (ev) => {
      const key = this.picked(ev);
      const p = key === undefined ? undefined : this.byKey.get(key);
      if (key === undefined || !p) return;
      // The pointer went down on the target on top, which took the focus: the one picked takes it (the Tab stop).
      if (key !== this.keyOf(ev.target)) this.itemEl(key)?.focus({ preventScroll: true });
      this.onSelect(p, 'pointer');
    });
    // A mouse or pen over the drawing (a touch has no hover, nor tooltip).
    host.addEventListener('pointermove', (ev) => ev.pointerType !== 'touch' && this.hoverAt({ x: ev.clientX, y: ev.clientY }));
    host.addEventListener('pointerleave', () => this.hoverAt(null));
    host.addEventListener('keydown', (ev) => {
      const from = this.keyOf(ev.target);
      if (from === undefined) return;
      if (isMoveKey(ev.key) && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
        ev.preventDefault(); // the arrows would scroll the page
        const to = moveFrom(this.items, from, ev.key, this.layout);
        if (to !== undefined && to !== from) this.itemEl(to)?.focus();
        return;
      }
      if (ev.key === 'Escape') {
        this.tipDismissed = from;
        this.hideTip();
      }
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault(); // Space would scroll the page (on a unit too, where it does nothing)
      const p = this.paramOf(ev.target);
      if (p) this.onSelect(p, 'keyboard');
    });
    // The roving tabindex: the item focused last (arrows, click, tap, Tab) is the one Tab stop.
    host.addEventListener('focusin', (ev) => {
      const key = this.keyOf(ev.target);
      if (key === undefined) return;
      this.lastFocused = key;
      if (key !== this.tipDismissed) this.tipDismissed = null;
      this.rove(key);
      this.showFocus(key);
      this.showTip(key);
    });
    host.addEventListener('focusout', (ev) => {
      this.hideTip();
      // Focus gone to another item, or out of the diagram to another element (not dropped by a redraw: no target).
      if (ev.relatedTarget instanceof Element && this.keyOf(ev.relatedTarget) !== this.tipDismissed) this.tipDismissed = null;
    });
  }

  /**
   * The weight or bias a click or tap on one selects: of those whose targets are under the pointer, the one whose
   * line (or box) is nearest to it; the one on top where two are as near (the point where two weights cross). NOTE:
   * the targets overlap near a crossing: with them alone, a tap on w2 10 px from where it crosses w3 (the 2-2-1 at
   * 390 px) selected w3, drawn over it. A click with no place (detail 0: dispatched by a script, or assistive
   * technology's press) is its target's. The .nd-hover layer (hoverAt) draws the one this picks at the pointer.
   */
  private picked(ev: MouseEvent): string | undefined {
    const own = this.paramKeyOf(ev.target) ?? this.hoverKeyOf(ev.target);
    return own === undefined || ev.detail === 0 ? own : this.nearest(own, ev.clientX, ev.clientY);
  }

  /** Of `own` (the target's weight or bias) and those whose targets are under client point (x, y), the nearest. */
  private nearest(own: string, x: number, y: number): string {
    const ctm = this.host.querySelector('svg')?.getScreenCTM();
    if (!ctm) return own;
    const at = new DOMPoint(x, y).matrixTransform(ctm.inverse());
    let [best, near] = [own, this.distance(own, at.x, at.y)];
    for (const el of document.elementsFromPoint(x, y)) {
      const key = this.host.contains(el) ? this.paramKeyOf(el) : undefined;
      const d = key === undefined ? Infinity : this.distance(key, at.x, at.y);
      if (key !== undefined && d < near) [best, near] = [key, d];
    }
    return best;
  }

  /** How far (viewBox units) point (x, y) is from parameter `key`'s lines and box. */
  private distance = (key: string, x: number, y: number): number => shapeDistance(this.shapes.get(key) ?? { lines: [] }, x, y);

  /**
   * The .nd-hover layer draws the weight or bias a click at the pointer selects (none off them, or on a unit over
   * them): its tooltip and cursor are then that one's. The same `nearest` as a click: the layer is one more
   * element at the point (elementsFromPoint), over those it copies.
   */
  private hoverAt(p: { x: number; y: number } | null): void {
    this.pointer = p;
    const layer = this.host.querySelector('.nd-hover');
    const top = p && layer ? document.elementFromPoint(p.x, p.y) : null;
    const own = top && this.host.contains(top) ? this.paramKeyOf(top) ?? this.hoverKeyOf(top) : undefined;
    const key = own === undefined ? undefined : this.nearest(own, p!.x, p!.y);
    if (!layer || key === (layer.getAttribute('data-hover') ?? undefined)) return;
    const button = key === undefined ? undefined : this.itemEl(key);
    layer.replaceChildren(...(button ? hoverEls(button, this.colours.diagram) : []));
    if (key === undefined) layer.removeAttribute('data-hover');
    else layer.setAttribute('data-hover', key);
  }

  /** The weight or bias the .nd-hover layer draws, if `target` is in it. */
  private hoverKeyOf(target: EventTarget | null): string | undefined {
    const key = target instanceof Element ? target.closest('.nd-hover')?.getAttribute('data-hover') : undefined;
    return key && this.byKey.has(key) ? key : undefined;
  }

  /** The tooltip of unit, input or strip `key` (none for a weight or bias: its name is drawn), over it or else under it. */
  private showTip(key: string): void {
    const el = this.itemEl(key);
    this.hideTip();
    const title = el && !el.hasAttribute('data-param') && key !== this.tipDismissed ? el.querySelector(':scope > title') : null;
    const text = title?.textContent;
    if (!el || !title || !text) return;
    // Its name moves from its <title> to an aria-label, the same words: a mouse that clicked it saw the browser's tooltip
    // too. NOTE: the <title> emptied, not removed (with none, the browser shows the nearest above: the drawing's, its
    // caption) nor kept (beside an aria-label it becomes the description, read twice: button's NOTE).
    el.setAttribute('aria-label', text);
    title.textContent = '';
    this.titled = { el, title, text };
    this.tip.hidden = false;
    this.tip.textContent = text;
    if (this.tip.parentNode !== this.host) this.host.append(this.tip);
    const box = this.host.getBoundingClientRect();
    const at = el.getBoundingClientRect();
    const { offsetWidth: w, offsetHeight: h } = this.tip;
    const left = Math.min(Math.max(at.left + at.width / 2 - box.left - w / 2, 4), this.host.clientWidth - w - 4);
    const above = at.top - box.top - h - 6;
    const top = above >= 2 ? above : Math.min(at.bottom - box.top + 6, this.host.clientHeight - h - 2);
    this.tip.style.left = `${Math.round(Math.max(left, 0))}px`;
    this.tip.style.top = `${Math.round(Math.max(top, 0))}px`;
  }

  /** Hides the tooltip; its element is named by its <title> again (the native tooltip back). */
  private hideTip(): void {
    this.tip.hidden = true;
    if (!this.titled) return;
    this.titled.el.removeAttribute('aria-label');
    this.titled.title.textContent = this.titled.text;
    this.titled = null;
  }

  /** The .nd-focus layer holds a copy of weight `key` (nothing for a bias: the biases are drawn over every weight). */
  private showFocus(key: string): void {
    const e = this.edges.get(key);
    this.host.querySelector('.nd-focus')?.replaceChildren(...(e ? edgeLines(e, true, this.colours.diagram) : []));
  }

  /** The key of the item (unit, input, strip, weight or bias) `target` is in, if it is drawn. */
  private keyOf(target: EventTarget | null): string | undefined {
    if (!(target instanceof Element)) return undefined;
    const el = target.closest(ITEMS);
    const key = el ? itemKey(el) : undefined;
    return key !== undefined && this.items.some((x) => x.key === key) ? key : undefined;
  }

  private itemEl(key: string): SVGGElement | undefined {
    return [...this.host.querySelectorAll<SVGGElement>(ITEMS)].find((el) => itemKey(el) === key);
  }

  /** `key` becomes the one item with tabindex 0. */
  private rove(key: string): void {
    for (const el of this.host.querySelectorAll(ITEMS)) el.setAttribute('tabindex', itemKey(el) === key ? '0' : '-1');
  }

  private paramOf(target: EventTarget | null): ParamId | undefined {
    const key = this.keyOf(target);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /** The key of the weight or bias `target` is in, if it is drawn. */
  private paramKeyOf(target: EventTarget | null): string | undefined {
    const key = this.keyOf(target);
    return key !== undefined && this.byKey.has(key) ? key : undefined;
  }

  /**
   * Draw the view, replacing what was there; keyboard focus stays on the same parameter. Unless the view says,
   * wide layers are strips (with an Expand toggle), and in a host of fixed size the layers run the way that draws larger.
   */
  render(view: DiagramView): void {
    // Another net: the keys focused before name its items (x:0, z:0:0, W[0][0][0] …), not the ones focused here.
    const sameNet = this.last?.net === view.net;
    if (!sameNet) {
      this.lastFocused = null;
      this.tipDismissed = null;
    }
    this.last = view;
    const active = document.activeElement;
    const inHost = active instanceof Element && this.host.contains(active) ? itemKey(active) : undefined;
    // The item focused now, kept focused if drawn again (another net's: its Tab stop takes the focus instead).
    const focused = sameNet ? inHost ?? null : null;
    // The caption and toggle first, in the host (drawn under the drawing), so that the layout sees the box they leave.
    const shown = this.drawn(view);
    this.caption.textContent = diagramCaption(shown);
    // NOTE: the toggle is made anew, and the foot put back, each render: focused (Tab to it, then a Train's redraws),
    // the focus goes to the new toggle once the drawing is in place (below).
    const toggleFocused = active instanceof HTMLElement && active.classList.contains('strip-toggle') && this.foot.contains(active);
    this.foot.replaceChildren(...this.toggle(view), this.caption);
    if (this.foot.parentNode !== this.host) this.host.append(this.foot);
    this.layout = this.layoutFor(view);
    const model = diagramModel({ layout: this.layout, ...shown });
    const buttons = [...model.edges, ...model.biases];
    this.byKey = new Map(buttons.map((x) => [x.key, x.param]));
    this.items = keyedItems(model);
    this.edges = new Map(model.edges.map((e) => [e.key, e]));
    this.shapes = new Map();
    for (const e of model.edges) this.shapes.set(e.key, { lines: [e] });
    for (const b of model.biases) this.shapes.set(b.key, { lines: b.lines, box: b });
    // The Tab stop: the item focused now or last if it is drawn again, else the selected parameter, else the first.
    const stop = tabStop(this.items, focused ?? this.lastFocused, buttons.find((x) => x.selected)?.key);
    // In the page's scheme (palette.ts): main.ts draws the diagram again when it changes.
    this.colours = palette();
    const drawing = modelToSvg(model, stop, this.colours);
    drawing.setAttribute('aria-describedby', this.caption.id);
    // The foot after the drawing, in the DOM as on the screen: the weights and biases are one Tab stop before it.
    this.host.replaceChildren(drawing, this.foot);
    if (toggleFocused) this.foot.querySelector<HTMLButtonElement>('.strip-toggle')?.focus({ preventScroll: true });
    // Focus was on an item: it stays on the Tab stop (that one, or where it is not drawn again — a layer now
    // summarised — the selected or first one), not dropped to the page; a unit's tooltip shows its new values.
    if (inHost !== undefined && stop !== undefined) this.itemEl(stop)?.focus({ preventScroll: true });
    else this.hideTip();
    // A mouse still over the drawing: its hover drawn again on the new drawing (a Train's redraws, a click's).
    if (this.pointer) this.hoverAt(this.pointer);
  }

  /**
   * The Expand / Summarise toggle where a layer is wider than MAX_SHOWN (none otherwise): in the caption's block, not
   * over the drawing (over it, it covered labels; in a bar of its own above it, it took 32 px of the drawing's height).
   */
  private toggle(view: DiagramView): HTMLButtonElement[] {
    if (!this.wide(view)) return [];
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'strip-toggle';
    toggle.setAttribute('aria-pressed', String(this.expanded));
    // MAX_SHOWN slots: MAX_SHOWN − 1 units and the "⋯ +k" marker.
    toggle.textContent = this.expanded ? 'Summarise wide layers' : `Expand wide layers (${MAX_SHOWN - 1} units of each)`;
    toggle.addEventListener('click', () => {
      this.expanded = !this.expanded;
      if (this.last) this.render(this.last);
      this.host.querySelector<HTMLButtonElement>('.strip-toggle')?.focus();
    });
    return [toggle];
  }
}
