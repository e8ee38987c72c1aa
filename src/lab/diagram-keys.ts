/**
 * The network diagram's weights and biases are one Tab stop (a roving tabindex, the WAI-ARIA practice for a composite
 * widget); inside it the arrow keys move between them. Pure (no DOM), so Node tests check the order.
 *
 * The order: the drawn parameters by layer (the weights W_l into layer l's units, then its biases b_l), each layer's
 * list in the order of their names — unit by unit, each unit's weights in the order of its inputs (w1, w2, …), then
 * the bias(es) (b1, …). A layer drawn as a shaded band (summarised) has no parameter to visit and is skipped.
 *   Along the way the layers run (Right / Left when they run left → right, Down / Up when top → bottom): the next /
 *     previous layer's parameter at the same place in its list (its last where the list is shorter).
 *   Across it (Down / Up, or Right / Left when the layers run top → bottom): the next / previous parameter of the
 *     same layer.
 *   Home / End: the first / last parameter of the diagram.
 * At an end nothing moves (no wrapping). Enter / Space select the focused parameter (diagram.ts).
 */
import type { ParamId } from '../notation/names.ts';

/** A drawn parameter: its data-param key and its ParamId. */
export interface KeyedParam {
  key: string;
  param: ParamId;
}

/** The keys that move; any other key is not the diagram's to handle (moveKey gives undefined). */
export const MOVE_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;
export type MoveKey = (typeof MOVE_KEYS)[number];
export const isMoveKey = (k: string): k is MoveKey => (MOVE_KEYS as readonly string[]).includes(k);

/** The drawn parameters grouped by layer (layers with none left out), each in the order above. */
export function paramLayers(params: readonly KeyedParam[]): KeyedParam[][] {
  const byLayer = new Map<number, KeyedParam[]>();
  const rank = (p: ParamId): number[] => (p.kind === 'W' ? [0, p.row, p.col] : [1, p.index, 0]);
  for (const x of params) {
    const list = byLayer.get(x.param.layer) ?? [];
    list.push(x);
    byLayer.set(x.param.layer, list);
  }
  return [...byLayer.keys()].sort((a, b) => a - b).map((l) => byLayer.get(l)!.sort((a, b) => {
    const ra = rank(a.param);
    const rb = rank(b.param);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  }));
}

/**
 * The key of the parameter that `key` moves focus to from the parameter `from`, in a drawing whose layers run
 * `layout` ('columns': left → right, 'rows': top → bottom); `from` itself at an end; undefined when `from` is not drawn.
 */
export function moveFrom(params: readonly KeyedParam[], from: string, key: MoveKey, layout: 'rows' | 'columns'): string | undefined {
  const layers = paramLayers(params);
  const li = layers.findIndex((l) => l.some((x) => x.key === from));
  if (li < 0) return undefined;
  const i = layers[li].findIndex((x) => x.key === from);
  if (key === 'Home') return layers[0][0].key;
  if (key === 'End') return layers[layers.length - 1].at(-1)!.key;
  const along = layout === 'columns' ? { next: 'ArrowRight', prev: 'ArrowLeft' } : { next: 'ArrowDown', prev: 'ArrowUp' };
  const across = layout === 'columns' ? { next: 'ArrowDown', prev: 'ArrowUp' } : { next: 'ArrowRight', prev: 'ArrowLeft' };
  if (key === along.next || key === along.prev) {
    const to = layers[li + (key === along.next ? 1 : -1)];
    return to ? to[Math.min(i, to.length - 1)].key : from;
  }
  const to = layers[li][i + (key === across.next ? 1 : -1)];
  return to ? to.key : from;
}

/** The parameter that is the Tab stop: the focused one if drawn, else the selected one if drawn, else the first. */
export function tabStop(params: readonly KeyedParam[], focused: string | null, selected: string | undefined): string | undefined {
  const drawn = (k: string | null | undefined): k is string => k != null && params.some((x) => x.key === k);
  if (drawn(focused)) return focused;
  if (drawn(selected)) return selected;
  return paramLayers(params)[0]?.[0].key;
}
