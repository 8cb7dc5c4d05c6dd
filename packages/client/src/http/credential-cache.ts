import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';

/*
 * PBS's client-side caches (http_client.rs), file formats as PBS writes them:
 * - tickets: `<runtime dir>/proxmox-backup/tickets`, mode 0600, JSON
 *   `{ "<server>": { "<user@realm>": { "timestamp": <epoch>, "ticket": "…", "token": "<CSRF>" } } }`;
 *   entries older than the ticket lifetime (2 h) minus 60 s are dropped on every write.
 * - fingerprints: `<config dir>/proxmox-backup/fingerprints`, lines `<server> <fingerprint>`.
 * The directories come from the caller (XDG_RUNTIME_DIR, XDG_CONFIG_HOME or their defaults).
 * Writes are atomic (temp file + rename).
 */

export const TICKET_LIFETIME = 7200;
const PREFIX = 'proxmox-backup';

export interface CachedTicket {
  readonly ticket: string;
  readonly csrf: string;
}

type TicketFile = Record<string, Record<string, { timestamp?: unknown; ticket?: unknown; token?: unknown }>>;

async function readJson(file: string): Promise<TicketFile> {
  try {
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as TicketFile) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    if (err instanceof SyntaxError) return {};
    throw err;
  }
}

async function replaceFile(file: string, data: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp_${process.pid}`;
  await fs.writeFile(tmp, data, { mode });
  await fs.rename(tmp, file);
}

export class CredentialCache {
  constructor(
    /** holds `proxmox-backup/tickets` (XDG_RUNTIME_DIR, or ~/.cache when unset) */
    private readonly runtimeDir: string,
    /** holds `proxmox-backup/fingerprints` (XDG_CONFIG_HOME or ~/.config) */
    private readonly configDir: string,
    /** epoch seconds */
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  get ticketFile(): string {
    return path.join(this.runtimeDir, PREFIX, 'tickets');
  }

  get fingerprintFile(): string {
    return path.join(this.configDir, PREFIX, 'fingerprints');
  }

  async loadTicket(server: string, user: string): Promise<CachedTicket | undefined> {
    const info = (await readJson(this.ticketFile))[server]?.[user];
    if (!info || typeof info.timestamp !== 'number') return undefined;
    if (this.now() - info.timestamp >= TICKET_LIFETIME - 60) return undefined;
    if (typeof info.ticket !== 'string' || typeof info.token !== 'string') return undefined;
    return { ticket: info.ticket, csrf: info.token };
  }

  async storeTicket(server: string, user: string, ticket: CachedTicket): Promise<void> {
    const data = await readJson(this.ticketFile);
    const now = this.now();
    (data[server] ??= {})[user] = { timestamp: now, ticket: ticket.ticket, token: ticket.csrf };
    const kept: TicketFile = {};
    for (const [srv, users] of Object.entries(data)) {
      for (const [u, info] of Object.entries(users ?? {})) {
        if (typeof info.timestamp === 'number' && now - info.timestamp < TICKET_LIFETIME - 60) {
          (kept[srv] ??= {})[u] = info;
        }
      }
    }
    await replaceFile(this.ticketFile, JSON.stringify(kept), 0o600);
  }

  /** false if there was no ticket to delete */
  async deleteTicket(server: string, user: string): Promise<boolean> {
    const data = await readJson(this.ticketFile);
    const users = data[server];
    if (!users || !(user in users)) return false;
    delete users[user];
    await replaceFile(this.ticketFile, JSON.stringify(data), 0o600);
    return true;
  }

  async loadFingerprint(server: string): Promise<string | undefined> {
    let raw: string;
    try {
      raw = await fs.readFile(this.fingerprintFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AppError('INTERNAL', `unable to read fingerprints from ${this.fingerprintFile}`, {
        cause: err,
      });
    }
    for (const line of raw.split('\n')) {
      const items = line.split(/\s+/).filter((s) => s !== '');
      if (items.length === 2 && items[0] === server) return items[1];
    }
    return undefined;
  }

  async storeFingerprint(server: string, fingerprint: string): Promise<void> {
    let raw = '';
    try {
      raw = await fs.readFile(this.fingerprintFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const lines = raw
      .split('\n')
      .filter((line) => {
        const items = line.split(/\s+/).filter((s) => s !== '');
        return items.length === 2 && items[0] !== server;
      })
      .map((line) => `${line}\n`);
    await replaceFile(this.fingerprintFile, `${lines.join('')}${server} ${fingerprint}\n`, 0o644);
  }
}
