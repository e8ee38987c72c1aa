/**
 * Names whose letters say the opposite of the engine's: the ReLU lecture (004) calls the output's pre-activation a2
 * and the output z = f(a2) = a2, so its a2 is the engine's Z₂ and its z is A₂. explain's names list, its Markdown and
 * every parameter's role ("feeds a2 (= Z₂) from h1", the lab's too) say which is which.
 */
import type { Net } from '../spec.ts';
import { type Naming, subDigits } from './names.ts';
import { symText } from './symbols.ts';

/** Does a name read as the other letter: a z named a… (a pre-activation called a) or an a named z…? */
function swapped(naming: Naming, kind: 'z' | 'a', layer: number, unit: number): boolean {
  const first = naming.node({ kind, layer, unit }).base.charAt(0).toLowerCase();
  return first === (kind === 'z' ? 'a' : 'z');
}

/** The engine's name of a unit's z or a: Z₂ (a layer of one unit) or Z₂[i]; the output of one unit A₂ = ŷ. */
function engineName(net: Net, kind: 'z' | 'a', layer: number, unit: number): string {
  const units = net.layers[layer].units;
  const name = `${kind === 'z' ? 'Z' : 'A'}${subDigits(layer + 1)}${units === 1 ? '' : `[${unit}]`}`;
  return kind === 'a' && layer === net.layers.length - 1 && units === 1 ? `${name} = ŷ` : name;
}

/** A unit's z or a name, with the engine's name after it where its letter is the other one: "a2 (= Z₂)". */
export function nodeWithLetters(naming: Naming, net: Net, kind: 'z' | 'a', layer: number, unit: number): string {
  const name = symText(naming.node({ kind, layer, unit }));
  return swapped(naming, kind, layer, unit) ? `${name} (= ${engineName(net, kind, layer, unit)})` : name;
}

/**
 * Every unit of the layers where a name's letter is the other one, z then a: "a2 = Z₂ (pre-activation), z = A₂ = ŷ
 * (the output) — …"; undefined when every name's letter is the engine's (every lecture but 004).
 */
export function lettersNote(naming: Naming, net: Net): string | undefined {
  const parts: string[] = [];
  net.layers.forEach((layer, l) => {
    const units = Array.from({ length: layer.units }, (_, i) => i);
    if (!units.some((i) => swapped(naming, 'z', l, i) || swapped(naming, 'a', l, i))) return;
    for (const i of units) parts.push(`${symText(naming.node({ kind: 'z', layer: l, unit: i }))} = ${engineName(net, 'z', l, i)} (pre-activation)`);
    const last = l === net.layers.length - 1;
    for (const i of units) parts.push(`${symText(naming.node({ kind: 'a', layer: l, unit: i }))} = ${engineName(net, 'a', l, i)} (${last ? 'the output' : 'activation'})`);
  });
  if (parts.length === 0) return undefined;
  return `${parts.join(', ')} — this notation's z and a are the engine's A and Z, not its Z and A`;
}
