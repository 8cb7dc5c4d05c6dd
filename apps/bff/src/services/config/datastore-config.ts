/** datastore.cfg: section type `datastore` (pbs-formats §1.7). */
import path from 'node:path';
import { DatastoreConfigSchema, type DatastoreConfig } from '@pbs/api-types';
import type { FieldKind, SectionMapping } from './section-mapping.js';
import { TypedSectionConfig } from './typed-config.js';

const str: FieldKind = { kind: 'string' };
const bool: FieldKind = { kind: 'boolean' };
const int: FieldKind = { kind: 'integer' };

export const KEEP_FIELDS: Record<string, FieldKind> = {
  'keep-last': int,
  'keep-hourly': int,
  'keep-daily': int,
  'keep-weekly': int,
  'keep-monthly': int,
  'keep-yearly': int,
};

const mapping: SectionMapping<DatastoreConfig> = {
  type: 'datastore',
  idField: 'name',
  schema: DatastoreConfigSchema,
  fields: {
    path: str,
    comment: str,
    'gc-schedule': str,
    'gc-on-unmount': bool,
    'prune-schedule': str,
    ...KEEP_FIELDS,
    'verify-new': bool,
    'notify-user': str,
    notify: str,
    'notification-mode': str,
    tuning: {
      kind: 'property-string',
      fields: {
        'chunk-order': str,
        'sync-level': str,
        'gc-atime-safety-check': bool,
        'gc-atime-cutoff': int,
        'gc-cache-capacity': int,
        'default-verification-workers': int,
        'default-verification-readers': int,
      },
    },
    'maintenance-mode': { kind: 'property-string', defaultKey: 'type', fields: { type: str, message: str } },
    'backing-device': str,
    backend: {
      kind: 'property-string',
      defaultKey: 'type',
      fields: { type: str, client: str, bucket: str, 'max-cache-size': str },
    },
    'notification-thresholds': str,
    'counter-reset-schedule': str,
  },
};

export function datastoreConfigFile(etcDir: string): TypedSectionConfig<DatastoreConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'datastore.cfg'), mapping, 'datastore');
}
