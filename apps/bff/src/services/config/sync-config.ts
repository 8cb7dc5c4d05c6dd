/**
 * remote.cfg (section type `remote`, pbs-formats §13.1) and sync.cfg (type `sync`, §13.2).
 * The remote's password (or token secret) is stored base64-encoded, as PBS does; the file is
 * 0600 and no API returns the secret. Entries here hold the stored (encoded) form: use
 * `remoteEndpoint` to get a connectable remote with the secret decoded.
 */
import path from 'node:path';
import {
  RemoteConfigSchema,
  SyncJobConfigSchema,
  type RemoteConfig,
  type SyncJobConfig,
} from '@pbs/api-types';
import type { FieldKind, SectionMapping } from './section-mapping.js';
import { TypedSectionConfig } from './typed-config.js';

const str: FieldKind = { kind: 'string' };
const bool: FieldKind = { kind: 'boolean' };
const int: FieldKind = { kind: 'integer' };

const remoteMapping: SectionMapping<RemoteConfig> = {
  type: 'remote',
  idField: 'name',
  schema: RemoteConfigSchema,
  fields: {
    host: str,
    port: int,
    'auth-id': str,
    password: str,
    fingerprint: str,
    comment: str,
    'use-node-proxy': bool,
  },
};

const syncMapping: SectionMapping<SyncJobConfig> = {
  type: 'sync',
  idField: 'id',
  schema: SyncJobConfigSchema,
  fields: {
    store: str,
    ns: str,
    remote: str,
    'remote-store': str,
    'remote-ns': str,
    'sync-direction': str,
    owner: str,
    'remove-vanished': bool,
    'max-depth': int,
    'group-filter': { kind: 'strings' },
    'transfer-last': int,
    'resync-corrupt': bool,
    'encrypted-only': bool,
    'verified-only': bool,
    'rate-in': str,
    'burst-in': str,
    'rate-out': str,
    'burst-out': str,
    'worker-threads': int,
    schedule: str,
    comment: str,
    'run-on-mount': bool,
    'unmount-on-done': bool,
  },
};

export const REMOTE_CONFIG_MODE = 0o600;

export function remoteConfigFile(etcDir: string): TypedSectionConfig<RemoteConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'remote.cfg'), remoteMapping, 'remote', REMOTE_CONFIG_MODE);
}

export function syncJobConfigFile(etcDir: string): TypedSectionConfig<SyncJobConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'sync.cfg'), syncMapping, 'sync job');
}

/** PBS keeps the password base64-encoded in remote.cfg. */
export const encodeRemotePassword = (secret: string): string =>
  Buffer.from(secret, 'utf8').toString('base64');
export const decodeRemotePassword = (stored: string): string =>
  Buffer.from(stored, 'base64').toString('utf8');
