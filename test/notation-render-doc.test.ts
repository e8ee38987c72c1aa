/**
 * render(doc, format) of backprop-webgpu/notation prints an ExplainDoc — explainer(spec).doc(runs) — as text, md or
 * latex. Its doc comment called that document "what explain returns", but explain returns the rendered string, and
 * render of a string (or of anything but a document) threw a bare TypeError from inside ("reading 'net'"). It is a
 * NotationError naming `doc`, as a bad `format` is one naming `format`; a string is told it is already rendered.
 */
import { describe, expect, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { explain, explainer } from '../src/notation/explain.ts';
import { render } from '../src/notation/format.ts';

const { spec } = lecture('lecture-2-2-1').worked;

function thrown(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  return undefined;
}

describe('render(doc, format): doc checked', () => {
  it("explain's string where the document belongs: a NotationError naming doc that says it is already rendered", () => {
    const text = explain(spec, { param: 'w5' }, [], 'text');
    const e = thrown(() => render(text as never, 'md'));
    expect(e).toBeInstanceOf(NotationError);
    expect((e as NotationError).field).toBe('doc');
    expect((e as NotationError).message).toMatch(/^doc: must be an ExplainDoc \(explainer\(spec, options\)\.doc\(runs\)\), got a string: explain returns the text already rendered/);
  });

  it('null, a number, an object that is no document: a NotationError naming doc', () => {
    for (const bad of [null, undefined, 7, {}, { title: 't', items: [] }, []]) {
      const e = thrown(() => render(bad as never, 'text'));
      expect(e).toBeInstanceOf(NotationError);
      expect((e as NotationError).field).toBe('doc');
    }
  });

  it('a bad format is still named first, and a document renders as explain renders it', () => {
    expect((thrown(() => render('x' as never, 'txt' as never)) as NotationError).field).toBe('format');
    const doc = explainer(spec, { param: 'w5' }).doc([]);
    for (const f of ['text', 'md', 'latex'] as const) expect(render(doc, f)).toBe(explain(spec, { param: 'w5' }, [], f));
  });
});
