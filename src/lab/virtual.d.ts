/** The course lab's MNIST subset, served by src/node/mnist-plugin.ts (uint8 pixels and labels as base64). */
declare module 'virtual:mnist-subset' {
  interface EncodedMnistPart {
    /** Number of digits; images decode to count × 784 bytes, labels to count bytes. */
    count: number;
    images: string;
    labels: string;
  }
  export const train: EncodedMnistPart;
  export const test: EncodedMnistPart;
  const subset: { train: EncodedMnistPart; test: EncodedMnistPart };
  export default subset;
}
