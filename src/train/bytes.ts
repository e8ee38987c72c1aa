/** Image-classification data from bytes (MNIST): x = pixel / 255 and y one-hot, example-major, as fit takes them. */
export interface ExampleMajor {
  x: { examples: number; data: Float32Array };
  y: { examples: number; data: Float32Array };
}

/** n examples: pixels (n × inputs bytes), labels (n bytes, each < classes). */
export function dataFromBytes(pixels: Uint8Array, labels: Uint8Array, n: number, inputs: number, classes: number): ExampleMajor {
  const x = new Float32Array(n * inputs);
  for (let k = 0; k < x.length; k++) x[k] = pixels[k] / 255;
  const y = new Float32Array(n * classes);
  for (let c = 0; c < n; c++) y[c * classes + labels[c]] = 1;
  return { x: { examples: n, data: x }, y: { examples: n, data: y } };
}
