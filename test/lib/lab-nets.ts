/**
 * What test/lab-session.test.ts, test/lab-files.test.ts and test/lab-views.test.ts share: the lecture's 2-2-1 worked
 * example, and a 2-4-1 XOR net on four seeded points of the lab's xor data set.
 */
import { generate2D } from '../../src/lab/datasets.ts';
import { lecture } from '../../src/lectures/index.ts';
import type { RowsSpec } from '../../src/spec.ts';

export const worked = lecture('lecture-2-2-1').worked;

export function xorSpec(): RowsSpec {
  const d = generate2D('xor', 4, 1);
  return {
    name: 'xor', inputs: 2,
    layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: d.x, y: d.y, lr: 1,
  };
}
