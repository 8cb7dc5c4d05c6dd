/** remote.cfg entries as connectable endpoints (secret decoded); the API shapes without it. */
import { AppError, type Remote, type RemoteConfig } from '@pbs/api-types';
import type { RemoteEndpoint } from '@pbs/sync';
import { decodeRemotePassword } from '../config/sync-config.js';
import type { Services } from '../services.js';

export function withoutPassword(item: RemoteConfig): Remote {
  const { password: _secret, ...rest } = item;
  return rest;
}

export async function remoteEndpoint(services: Services, name: string): Promise<RemoteEndpoint> {
  const item = await services.remotes.find(name);
  if (item === undefined) throw new AppError('NOT_FOUND', `remote '${name}' does not exist`);
  return {
    name: item.name,
    host: item.host,
    port: item.port,
    authId: item.authId,
    password: decodeRemotePassword(item.password),
    fingerprint: item.fingerprint,
  };
}
