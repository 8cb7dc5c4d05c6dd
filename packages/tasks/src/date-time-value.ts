/** One entry of a calendar-event field list: `5`, `1..7`, `0/15`, `4..10/2` (proxmox-time semantics). */

export type DateTimeValue =
  | { kind: 'single'; value: number }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'repeated'; start: number; step: number; end?: number };

export function valueContains(spec: DateTimeValue, value: number): boolean {
  switch (spec.kind) {
    case 'single':
      return spec.value === value;
    case 'range':
      return value >= spec.start && value <= spec.end;
    case 'repeated':
      if (value < spec.start) return false;
      if (spec.step === 0) return value === spec.start;
      return (value - spec.start) % spec.step === 0 && (spec.end === undefined || value <= spec.end);
  }
}

export function listContains(list: readonly DateTimeValue[], value: number): boolean {
  return list.some((spec) => valueContains(spec, value));
}

/** The smallest value greater than `value` that any entry allows, if there is one. */
export function findNext(list: readonly DateTimeValue[], value: number): number | undefined {
  let next: number | undefined;
  const offer = (v: number): void => {
    if (next === undefined || v < next) next = v;
  };
  for (const spec of list) {
    switch (spec.kind) {
      case 'single':
        if (spec.value > value) offer(spec.value);
        break;
      case 'range':
        if (value < spec.start) offer(spec.start);
        else if (value + 1 <= spec.end) offer(value + 1);
        break;
      case 'repeated': {
        if (value < spec.start) {
          offer(spec.start);
        } else if (spec.step > 0) {
          const n = spec.start + Math.floor((value - spec.start + spec.step) / spec.step) * spec.step;
          if (spec.end === undefined || n <= spec.end) offer(n);
        }
        break;
      }
    }
  }
  return next;
}
