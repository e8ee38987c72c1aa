// A module Web Worker that trains through the package (test/browser/package.test.ts): each message is one
// lectureRun's arguments; the answer is its LectureRun, or {error} with the error's name and message.
import type { ModelOptions } from 'backprop-webgpu';
import { lectureRun } from './lecture-run.ts';

type Ask = { options: ModelOptions; also: { fit: boolean; wide: boolean } };
const scope = self as unknown as { onmessage: ((e: MessageEvent<Ask>) => void) | null; postMessage(v: unknown): void };
scope.onmessage = (e) => {
  lectureRun(e.data.options, e.data.also).then(
    (run) => scope.postMessage({ run }),
    (err: unknown) => scope.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
  );
};
