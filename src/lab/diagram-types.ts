/**
 * The network diagram's types: what it is drawn from (DiagramView, its DiagramValues) and what diagramModel
 * (./diagram-model.ts) places (DiagramModel: nodes, markers, edges, biases, strips), in viewBox units.
 */
import type { Naming, ParamId } from '../notation/names.ts';
import type { Net, Params } from '../spec.ts';
import type { NodeText } from './node-text.ts';

/** Whatever stage the lab has reached: forward fills Z and A; backward fills delta, dW and db. */
export interface DiagramValues {
  Z?: ArrayLike<number>[];
  A?: ArrayLike<number>[];
  delta?: ArrayLike<number>[];
  dW?: ArrayLike<number>[];
  db?: ArrayLike<number>[];
}

export interface DiagramView {
  net: Net;
  naming: Naming;
  params: Params;
  /** Inputs (inputs × n), row-major: X[j * n + c]. */
  X: ArrayLike<number>;
  /** Examples in the batch. */
  n: number;
  /** Which example (column) the nodes show. */
  example: number;
  /** Missing values are shown as "–". */
  values: DiagramValues;
  selected?: ParamId;
  /** Decimals of the numbers shown (default 4). */
  decimals?: number;
  /**
   * Layers wider than MAX_SHOWN as one strip of cells (each unit's activation for the example), and 784 inputs
   * as the 28 × 28 image of the example, instead of MAX_SHOWN slots with a "⋮ +k more" marker ("⋯ +k" along a row, drawn top to bottom; default false).
   */
  summarise?: boolean;
  /** 'columns' (default): layers left → right. 'rows': layers top → bottom, for a wide, low box (the workspace). */
  layout?: 'columns' | 'rows';
  /**
   * What each output unit stands for, where the data says (MNIST: the digits — name "0", title "digit 0"): the node's
   * name, and its tooltip starts with the title and the unit's own label ("digit 0 (o1): …"). Default: the naming's
   * labels (o1 … o10, which read as digits 1 … 10).
   */
  outputLabels?: readonly { name: string; title: string }[];
}

/** A wide layer drawn as a strip of cells (or the inputs as an image): centre (x, y), size w × h. */
export interface DiagramStrip {
  column: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Cells in reading order (rows × cols; a strip is count × 1, or 1 × count in the 'rows' layout). */
  rows: number;
  cols: number;
  /**
   * Each cell's value, scheme-free: an input's (or the mean of its inputs') for 'ink', an activation's for 'signed';
   * undefined: none yet. modelToSvg colours each with the palette it draws in (diagram-model.ts stripColour), as it does
   * the sign colours of weights and biases.
   */
  cells: (number | undefined)[];
  /** How a cell's value is coloured (diagram-model.ts stripColour). */
  shade: StripShade;
  kind: 'strip' | 'image';
  /** Accessible description: what it stands for and its range. */
  title: string;
}

/**
 * 'ink': an input, its ink share (clamped to 0 … 1) of the way from the palette's paper to its ink (palette.ts digits,
 * as the Output tab draws MNIST's digits); none counts as 0. 'signed': an activation, its sign's colour (the palette's
 * positive, negative) |a| / top of the way from the strip's zero colour, `top` the column's strongest |a|; none yet:
 * the palette's unknown grey.
 */
export type StripShade = { kind: 'ink' } | { kind: 'signed'; top: number };

/** A unit or an input, at its centre (x, y). */
export interface DiagramNode {
  /** data-node: "z:<layer>:<unit>" for a unit (layer 0-based, as W[layer]), "x:<index>" for an input. */
  key: string;
  kind: 'input' | 'unit';
  /** Column: 0 for the inputs, l + 1 for layer index l. */
  column: number;
  /** Index within its column (input j or unit i). */
  index: number;
  x: number;
  y: number;
  r: number;
  /** Its name: x1, h1, out, CGPA. */
  name: string;
  /** The value lines under its name, inside the circle: ["0.05"] for an input, ["z 0.3775", "a 0.5933", "δ 0.0363"] for a unit. */
  lines: string[];
  /** Tooltip and accessible description, in the net's names: "z_h1 = 0.3775, a_h1 = 0.5933, δ_h1 = –". */
  title: string;
  /** Where its name and value lines are written: font sizes, and baselines below the centre (negative: above). */
  text: NodeText;
}

/** The "⋯ +k" marker standing in for the units a big layer does not draw. */
export interface DiagramMarker {
  column: number;
  x: number;
  y: number;
  hidden: number;
  /** "⋯ +775": written along its layer, centred at (x, y). */
  text: string;
  /** Left to right the layer is a column, and the text reads bottom to top along it (the steep weights of the units beside it cross the slot but for a strip down its middle). */
  turned: boolean;
}

export interface Segment { x1: number; y1: number; x2: number; y2: number }

/** One weight, from the edge of its source circle to the edge of its target circle. */
export interface DiagramEdge extends Segment {
  param: ParamId;
  /** paramKey(param): the data-param attribute. */
  key: string;
  name: string;
  value: number;
  color: string;
  width: number;
  /**
   * A negative weight's stroke-dasharray (negativeDash: its sign told by more than its hue), undefined for a positive
   * or zero one, drawn solid.
   */
  dash: string | undefined;
  /** Where its name is written, when it is (small layers only). */
  label: { x: number; y: number } | undefined;
  ariaLabel: string;
  selected: boolean;
}

/** One bias value: a box at (x, y) (its centre) with its name inside, and a line to each unit it feeds. */
export interface DiagramBias {
  param: ParamId;
  key: string;
  name: string;
  value: number;
  x: number;
  y: number;
  /** The box, centred on (x, y): wide enough for its name (a dense layout's 14-unit square was narrower than "b33"). */
  width: number;
  height: number;
  /** Font size of its name (viewBox units), written inside the box. */
  nameSize: number;
  /**
   * The box turned with the 'rows' layout (a per-unit bias wider than tall: its long side runs across the row, so it
   * fits the gap between two units), and its name reads bottom to top along it.
   */
  turned: boolean;
  color: string;
  /** A negative bias's box edge's stroke-dasharray (NEGATIVE_BOX_DASH), undefined for a positive or zero one. */
  dash: string | undefined;
  lines: Segment[];
  ariaLabel: string;
  selected: boolean;
}

/** What a column draws: `shown` of `total` units. */
export interface ColumnInfo {
  column: number;
  total: number;
  shown: number;
  hidden: number;
  what: string;
}

export interface DiagramModel {
  width: number;
  height: number;
  nodes: DiagramNode[];
  markers: DiagramMarker[];
  edges: DiagramEdge[];
  biases: DiagramBias[];
  /** Wide layers summarised (summarise: true), and the shaded bands that stand for their weights. */
  strips: DiagramStrip[];
  bands: string[];
  columns: ColumnInfo[];
  /** "2-2-1 net, example 1 of 1 …" — the SVG's <title>. */
  title: string;
  /**
   * Says which units are not drawn, if any. Not part of the drawing: the renderer writes it as text under the SVG at
   * the page's size (drawn in the viewBox it scaled with everything else, ~6 px on screen for MNIST at 1280 × 800).
   */
  caption: string;
  /**
   * The caption without what it says of the page's controls ("Expand to select them one by one", which the Expand
   * toggle beside it does): the drawing alone, the Diagram SVG file's <desc> (diagram-export.ts).
   */
  description: string;
}
