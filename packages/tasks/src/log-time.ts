/**
 * Task-log timestamps: RFC 3339 in the process's local zone with a numeric offset
 * (`2025-07-14T16:20:02+02:00`, never `Z`), as proxmox-time's epoch_to_rfc3339 writes them.
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatLogTime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const date = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch seconds, or null when the text is not such a timestamp (same limits as proxmox-time). */
export function parseLogTime(text: string): number | null {
  const m = RFC3339_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m.map((v) => (v === undefined ? '' : v));
  const fields = [Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const [month = 0, day = 0, hour = 0, minute = 0, second = 0] = fields;
  if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const utc = Date.UTC(Number(y), month - 1, day, hour, minute, second) / 1000;
  if (!sign) return utc;
  const offH = Number(oh);
  const offM = Number(om);
  if (offH > 23 || offM > 59) return null;
  const offset = offH * 3600 + offM * 60;
  return sign === '+' ? utc - offset : utc + offset;
}
