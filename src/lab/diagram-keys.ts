/**
 * The network diagram's units, inputs, weights and biases are one Tab stop (a roving tabindex, the WAI-ARIA practice
 * for a composite widget); inside it the arrow keys move between them. Pure (no DOM), so Node tests check the order.
 *
 * The order walks the drawing the way the data flows, in lists: the inputs (x1, x2, …, or the input strip / image),
 * then the parameters into layer 1 (its weights W_1, then its biases b_1), then layer 1's units (or its strip), then
 * the parameters into layer 2, its units, and so on to the output units. A list of parameters runs unit by unit, each
 * unit's weights in the order of their inputs (w1, w2, …), then the bias(es) (b1, …); a list of units in their order.
 * A layer whose weights are drawn as a shaded band (summarised) has no parameter list: it is skipped.
 *   Along the way the layers run (Right / Left when they run left → right, Down / Up when top → bottom): the next /
 *     previous list's item at the same place in its list (its last where the list is shorter).
 *   Across it (Down / Up, or Right / Left when the layers run top → bottom): the next / previous item of the list.
 *   Home / End: the first / last item of the diagram (the first input, the last output unit).
 * At an end nothing moves (no wrapping). Enter / Space select the focused weight or bias (diagram.ts); a focused unit
 * or input shows its values (its tooltip).
 */
import type { ParamId } from '../notation/names.ts';
import type { DiagramModel } from './diagram-types.ts';

/** A drawn parameter: its data-param key and its ParamId. */
export interface KeyedParam {
  key: string;
  param: ParamId;
}

/** A drawn unit, input or strip: its key, its column (0: the inputs, l + 1: layer index l) and index in it (a strip: 0). */
export interface KeyedNode {
  key: string;
  node: { column: number; index: number };
}

/** What the arrow keys visit. */
export type KeyedItem = KeyedParam | KeyedNode;

const isParam = (x: KeyedItem): x is KeyedParam => 'param' in x;

/** A strip's key (it has no data-node: one strip stands for a whole column): "strip:<column>". */
export const stripKey = (column: number): string => `strip:${column}`;

/** What a drawing's arrow keys visit: its weights and biases, its units and inputs, its strips (each at index 0). */
export function keyedItems(m: Pick<DiagramModel, 'edges' | 'biases' | 'nodes' | 'strips'>): KeyedItem[] {
  return [
    ...[...m.edges, ...m.biases].map((x) => ({ key: x.key, param: x.param })),
    ...m.nodes.map((nd) => ({ key: nd.key, node: { column: nd.column, index: nd.index } })),
    ...m.strips.map((st) => ({ key: stripKey(st.column), node: { column: st.column, index: 0 } })),
  ];
}

/** The keys that move; any other key is not the diagram's to handle (moveKey gives undefined). */
export const MOVE_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;
export type MoveKey = (typeof MOVE_KEYS)[number];
export const isMoveKey = (k: string): k is MoveKey => (MOVE_KEYS as readonly string[]).includes(k);

/**
 * The drawn items in lists, in the order above (empty lists left out): column c's units at 2c, the parameters into
 * layer index l (W[l], b[l]) at 2l + 1, between the columns they join.
 */
export function itemLists(items: readonly KeyedItem[]): KeyedItem[][] {
  const byPlace = new Map<number, KeyedItem[]>();
  const place = (x: KeyedItem): number => (isParam(x) ? 2 * x.param.layer + 1 : 2 * x.node.column);
  const rank = (x: KeyedItem): number[] => {
    if (!isParam(x)) return [0, x.node.index, 0];
    return x.param.kind === 'W' ? [0, x.param.row, x.param.col] : [1, x.param.index, 0];
  };
  for (const x of items) {
    const list = byPlace.get(place(x)) ?? [];
    list.push(x);
    byPlace.set(place(x), list);
  }
  return [...byPlace.keys()].sort((a, b) => a - b).map((p) => byPlace.get(p)!.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  }));
}

/**
 * The key of the item that `key` moves focus to from the item `from`, in a drawing whose layers run `layout`
 * ('columns': left → right, 'rows': top → bottom); `from` itself at an end; undefined when `from` is not drawn.
 */
export function moveFrom(items: readonly KeyedItem[], from: string, key: MoveKey, layout: 'rows' | 'columns'): string | undefined {
  const lists = itemLists(items);
  const li = lists.findIndex((l) => l.some((x) => x.key === from));
  if (li < 0) return undefined;
  const i = lists[li].findIndex((x) => x.key === from);
  if (key === 'Home') return lists[0][0].key;
  if (key === 'End') return lists[lists.length - 1].at(-1)!.key;
  const along = layout === 'columns' ? { next: 'ArrowRight', prev: 'ArrowLeft' } : { next: 'ArrowDown', prev: 'ArrowUp' };
  const across = layout === 'columns' ? { next: 'ArrowDown', prev: 'ArrowUp' } : { next: 'ArrowRight', prev: 'ArrowLeft' };
  if (key === along.next || key === along.prev) {
    const to = lists[li + (key === along.next ? 1 : -1)];
    return to ? to[Math.min(i, to.length - 1)].key : from;
  }
  const to = lists[li][i + (key === across.next ? 1 : -1)];
  return to ? to.key : from;
}

/**
 * The item that is the Tab stop: the focused one if drawn, else the selected parameter if drawn, else the first
 * parameter, else (no parameter drawn one by one: MNIST summarised) the first item.
 */
export function tabStop(items: readonly KeyedItem[], focused: string | null, selected: string | undefined): string | undefined {
  const drawn = (k: string | null | undefined): k is string => k != null && items.some((x) => x.key === k);
  if (drawn(focused)) return focused;
  if (drawn(selected)) return selected;
  const lists = itemLists(items);
  return (lists.find((l) => isParam(l[0])) ?? lists[0])?.[0].key;
}
