/*
 * Numbers in GC log lines as PBS prints them: HumanByte (binary units, at most three decimals,
 * trailing zeros dropped) and TimeSpan ("1d 5m").
 */

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** proxmox-human-byte HumanByte::new_binary(size).to_string() */
export function formatHumanByte(bytes: number): string {
  const bits = bytes < 1 ? 0 : Math.floor(Math.log2(Math.floor(bytes))) + 1;
  const unit = bits >= 51 ? 5 : bits >= 41 ? 4 : bits >= 31 ? 3 : bits >= 21 ? 2 : bits >= 11 ? 1 : 0;
  const size = bytes / 1024 ** unit;
  return `${Math.round(size * 1000) / 1000} ${BINARY_UNITS[unit]}`;
}

/** proxmox-time TimeSpan display for whole seconds: '1w 2d 3h 4m 5s' with zero parts left out. */
export function formatTimeSpan(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
}

/** epoch seconds as PBS's epoch_to_rfc3339_utc */
export function rfc3339Utc(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19)}Z`;
}
