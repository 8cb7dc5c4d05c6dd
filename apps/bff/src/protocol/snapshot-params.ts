/** The snapshot a protocol upgrade names: store, ns, backup-type, backup-id, backup-time. */
import {
  AppError,
  BackupTypeSchema,
  DatastoreNameSchema,
  NamespaceSchema,
  BackupIdSchema,
} from '@pbs/api-types';
import type { z } from 'zod';
import { integer, required } from './query.js';

function check<T>(schema: z.ZodType<T>, name: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(
      'INVALID_ARGUMENT',
      `parameter '${name}': ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export interface SnapshotParams {
  store: string;
  ns: string;
  type: 'vm' | 'ct' | 'host';
  id: string;
  time: number;
}

export function snapshotParams(query: URLSearchParams): SnapshotParams {
  return {
    store: check(DatastoreNameSchema, 'store', required(query, 'store')),
    ns: check(NamespaceSchema, 'ns', query.get('ns') ?? ''),
    type: check(BackupTypeSchema, 'backup-type', required(query, 'backup-type')),
    id: check(BackupIdSchema, 'backup-id', required(query, 'backup-id')),
    time: integer(query, 'backup-time', 1, 253_402_300_799),
  };
}

export function snapshotLabel(p: SnapshotParams): string {
  const time = new Date(p.time * 1000).toISOString().replace('.000Z', 'Z');
  return `${p.ns === '' ? '' : `ns/${p.ns.split('/').join('/ns/')}/`}${p.type}/${p.id}/${time}`;
}
