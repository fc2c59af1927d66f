// The page's knobs (src/runtime/litmus/knobs.ts): one field per knob of the table, built from
// it, in a "Knobs" box under the controls; the query's `start=`, `pad=`, … (what the headless
// driver and `--tune` in a browser send, and what a link to a tuned setting carries) fill it.
// Placement pinned is not offered: a page cannot pin its workers to CPUs.

import { DEFAULT_KNOBS, KNOB_NAMES, KNOBS, type Knobs } from '../src/runtime/litmus/knobs.ts';

/** What a page cannot do, with the reason shown beside the field. */
const NOT_IN_A_PAGE: Partial<Record<keyof Knobs, unknown[]>> = { placement: ['pinned'] };

/** The knobs box, inside `parent`, filled from `params`; returns a reader of the fields. */
export function knobsForm(parent: HTMLElement, params: URLSearchParams): () => Knobs {
  const fields = new Map<keyof Knobs, HTMLInputElement | HTMLSelectElement>();
  for (const name of KNOB_NAMES) {
    if (name === 'size') continue; // the page's size is its own (the query's size=)
    const spec = KNOBS[name];
    const label = document.createElement('label');
    label.title = spec.help.replace(/\n/g, ' ');
    label.append(`${name} `);
    const field = addField(label, name, spec.candidates as readonly unknown[]);
    field.value = params.get(name) ?? String(DEFAULT_KNOBS[name]);
    parent.append(label);
    fields.set(name, field);
  }
  return () => {
    const k: Record<string, unknown> = { ...DEFAULT_KNOBS };
    for (const [name, field] of fields)
      k[name] = (KNOBS[name].parse as (raw: string, flag: string) => unknown)(field.value, name);
    return k as unknown as Knobs;
  };
}

/**
 * The field of one knob, appended to `label`: a list for words (start, order), a number box for
 * counts, a box with suggestions for both (delay: 64, or sweep).
 */
function addField(label: HTMLElement, name: keyof Knobs, candidates: readonly unknown[]) {
  if (candidates.every((c) => typeof c === 'string')) {
    const select = document.createElement('select');
    select.id = `knob-${name}`;
    const refused = NOT_IN_A_PAGE[name] ?? [];
    for (const c of candidates as string[]) if (!refused.includes(c)) select.add(new Option(c, c));
    label.append(select);
    return select;
  }
  const input = document.createElement('input');
  input.id = `knob-${name}`;
  input.style.width = '5em';
  label.append(input);
  if (candidates.some((c) => typeof c === 'string')) {
    const list = document.createElement('datalist');
    list.id = `knob-${name}-values`;
    for (const c of candidates) if (c !== undefined) list.append(new Option(String(c)));
    input.setAttribute('list', list.id);
    label.append(list);
  } else {
    input.type = 'number';
    input.min = '0';
  }
  return input;
}
