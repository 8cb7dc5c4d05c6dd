import type { Duplex } from 'node:stream';
import type { Services } from '../services/services.js';
import type { Caller } from '../trpc/auth-state.js';

export const BACKUP_PROTOCOL = 'proxmox-backup-protocol-v1';
export const READER_PROTOCOL = 'proxmox-backup-reader-protocol-v1';

/** An authenticated upgrade request, before the 101 is sent. */
export interface UpgradeRequest {
  services: Services;
  caller: Caller;
  query: URLSearchParams;
  remote: string;
  /** writes the 101 and hands over the socket once it has been flushed */
  accept(protocol: string): Promise<Duplex>;
}
