/**
 * The bench page's checkboxes (systems, kernel variants, configs): one label a box, the box's value its text. A box's
 * title (a config's: what it is) is on its label, a mouse's tooltip, and on the box itself, its description to a
 * screen reader, which heard only "b-mse, checkbox". No page here: ui.ts hands over its
 * document's elements (test/bench-page-voice.test.ts).
 */

/** The elements a box is made of: ui.ts's document.createElement('label') and ('input'). */
export interface BoxMaker<L extends { title: string; append(...nodes: (I | string)[]): void }, I extends { type: string; name: string; value: string; checked: boolean; title: string }> {
  label(): L;
  input(): I;
}

/** The boxes for `values`, named `name`, those in `checked` ticked: the labels ui.ts puts in a fieldset. */
export function checkboxLabels<L extends { title: string; append(...nodes: (I | string)[]): void }, I extends { type: string; name: string; value: string; checked: boolean; title: string }>(make: BoxMaker<L, I>, name: string, values: readonly { value: string; title?: string }[], checked: readonly string[]): L[] {
  return values.map(({ value, title }) => {
    const label = make.label();
    const input = make.input();
    input.type = 'checkbox';
    input.name = name;
    input.value = value;
    input.checked = checked.includes(value);
    label.append(input, ` ${value}`);
    if (title) label.title = input.title = title;
    return label;
  });
}
