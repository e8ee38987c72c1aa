/**
 * Edges of the MNIST subset's spec data (src/lab/mnist.ts mnistSpecData) and of the presets (src/lab/presets.ts) that
 * the other lab tests leave open. Expected values by hand: x = pixel / 255 (255 ink is 1, 51 is 0.2), y one-hot on the
 * label (digit 9 at index 9); the five-blob set has 300 points (the sets of more than 3 classes do), the others 200.
 */
import { describe, expect, it } from 'vitest';
import { mnistSpecData, type MnistPart } from '../src/lab/mnist.ts';
import { preset } from '../src/lab/presets.ts';
import { lecture } from '../src/lectures/index.ts';

/** Two digits: the first a 9 with its first pixel 51 and its last 255, the second a 0, blank. */
function twoDigits(): MnistPart {
  const images = new Uint8Array(2 * 784);
  images[0] = 51;
  images[783] = 255;
  return { count: 2, images, labels: Uint8Array.from([9, 0]) };
}

describe('mnistSpecData', () => {
  it('pixels / 255 and a one-hot label of 10', () => {
    const { x, y } = mnistSpecData(twoDigits(), 0, 2);
    expect(x).toHaveLength(2);
    expect(x[0]).toHaveLength(784);
    expect(x[0][0]).toBeCloseTo(0.2, 15);
    expect(x[0][783]).toBe(1);
    expect(x[1].every((v) => v === 0)).toBe(true);
    expect(y).toEqual([[0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
  });

  it('a range outside the part is a RangeError naming it, a negative start or count included', () => {
    expect(() => mnistSpecData(twoDigits(), 1, 2)).toThrow(new RangeError('examples 1 … 2 are outside 0 … 1'));
    expect(() => mnistSpecData(twoDigits(), -1, 1)).toThrow(new RangeError('examples -1 … -1 are outside 0 … 1'));
    expect(() => mnistSpecData(twoDigits(), 0, -1)).toThrow(RangeError);
  });
});

describe('the presets\' data', () => {
  it('five blobs: 300 points, said in its description; three spirals 200', async () => {
    const five = await preset('blobs5')!.load();
    expect(five.spec.x).toHaveLength(300);
    expect(five.spec.description).toContain('(300 points, seed 7)');
    expect((await preset('spirals3')!.load()).spec.x).toHaveLength(200);
  });

  it('a lecture preset gives a copy: a net edited on the page leaves the lecture (and its next load) as printed', async () => {
    const first = await preset('lecture-2-2-1')!.load();
    first.spec.lr = 5;
    (first.spec.params!.W[0][0] as number[])[0] = 99;
    const again = await preset('lecture-2-2-1')!.load();
    expect(again.spec.lr).toBe(0.0001);
    expect(again.spec.params!.W[0][0]).toEqual([0.15, 0.2]);
    expect(lecture('lecture-2-2-1').worked.spec.lr).toBe(0.0001);
  });
});
