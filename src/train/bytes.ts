/** Image-classification data from bytes (MNIST): x = pixel / 255 (or standardised) and y one-hot, example-major, as fit takes them. */
export interface ExampleMajor {
  x: { examples: number; data: Float32Array };
  y: { examples: number; data: Float32Array };
}

/** Input standardisation of byte pixels: x = (pixel / 255 − mean) / std, one mean and std for every pixel. */
export interface Standardize {
  mean: number;
  std: number;
}

/** n examples: pixels (n × inputs bytes), labels (n bytes, each < classes); x = pixel / 255, or standardised. */
export function dataFromBytes(pixels: Uint8Array, labels: Uint8Array, n: number, inputs: number, classes: number, standardize?: Standardize): ExampleMajor {
  const x = new Float32Array(n * inputs);
  const mean = standardize?.mean ?? 0;
  const std = standardize?.std ?? 1;
  for (let k = 0; k < x.length; k++) x[k] = (pixels[k] / 255 - mean) / std;
  const y = new Float32Array(n * classes);
  for (let c = 0; c < n; c++) y[c * classes + labels[c]] = 1;
  return { x: { examples: n, data: x }, y: { examples: n, data: y } };
}
