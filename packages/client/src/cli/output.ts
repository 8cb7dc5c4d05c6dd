import { AppError } from '@pbs/api-types/errors';

/*
 * PBS's --output-format: `text` (tables with box-drawing borders, as proxmox-router renders
 * them), `json` (compact) and `json-pretty`. Values are printed as the API returns them.
 */

export type OutputFormat = 'text' | 'json' | 'json-pretty';

export function parseOutputFormat(value: string | undefined): OutputFormat {
  const v = value ?? 'text';
  if (v === 'text' || v === 'json' || v === 'json-pretty') return v;
  throw new AppError('INVALID_ARGUMENT', `invalid output format '${v}' (text, json or json-pretty)`);
}

export function formatJson(value: unknown, format: 'json' | 'json-pretty'): string {
  return `${JSON.stringify(value, null, format === 'json-pretty' ? 2 : undefined)}\n`;
}

export interface Column<T> {
  readonly header: string;
  readonly render: (row: T) => string;
}

/** A table as proxmox-router prints it: ┌─┬─┐ / │ │ / ╞═╪═╡ / ├─┼─┤ / └─┴─┘. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.render(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (l: string, fill: string, mid: string, r: string) =>
    `${l}${widths.map((w) => fill.repeat(w + 2)).join(mid)}${r}\n`;
  const row = (values: readonly string[]) =>
    `│${values.map((v, i) => ` ${v.padEnd(widths[i] ?? 0)} `).join('│')}│\n`;
  let out = line('┌', '─', '┬', '┐');
  out += row(columns.map((c) => c.header));
  out += line('╞', '═', '╪', '╡');
  cells.forEach((r, i) => {
    out += row(r);
    if (i < cells.length - 1) out += line('├', '─', '┼', '┤');
  });
  out += line('└', '─', '┴', '┘');
  return out;
}

/** A single record as a two-column key/value table (PBS prints objects so). */
export function formatRecord(record: Record<string, unknown>): string {
  const rows = Object.entries(record).filter(([, v]) => v !== undefined);
  return formatTable(rows, [
    { header: 'Name', render: ([k]) => k },
    { header: 'Value', render: ([, v]) => (typeof v === 'string' ? v : JSON.stringify(v)) },
  ]);
}

/** strip_server_file_extension */
export function stripServerExtension(name: string): string {
  return name.replace(/\.(didx|fidx|blob)$/, '');
}
