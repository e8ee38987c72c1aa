/**
 * For the tests of the Notation tab's big batch, worked once the tab is on the screen (src/lab/explain-panel.ts
 * whenInView; test/lab-explain-in-view*): a batch of `n` examples, and a stand-in IntersectionObserver the test fires.
 */
import type { NetworkSpec } from '../../src/spec.ts';

/** A 1-1-1 sigmoid net (MSE, mean) on `n` examples x = k / n. */
export function bigSpec(n: number): NetworkSpec {
  const x = Array.from({ length: n }, (_, k) => [k / n]);
  return {
    inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse',
    params: { W: [[[0.5]], [[-0.3]]], b: [[0.1], [0.2]] }, x, y: x.map(([v]) => [v > 0.5 ? 1 : 0]),
  };
}

/** A stand-in IntersectionObserver: the test says when the element is on the screen (`fire`); `all` the ones made. */
export class Observer {
  static all: Observer[] = [];
  observed: unknown[] = [];
  disconnected = false;
  constructor(private readonly callback: (entries: { isIntersecting: boolean }[]) => void) {
    Observer.all.push(this);
  }
  observe(e: unknown): void { this.observed.push(e); }
  disconnect(): void { this.disconnected = true; }
  fire(isIntersecting: boolean): void {
    if (!this.disconnected) this.callback([{ isIntersecting }]);
  }
}
