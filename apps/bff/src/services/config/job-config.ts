/** prune.cfg (type `prune`) and verification.cfg (type `verification`), pbs-formats §7 and §8. */
import path from 'node:path';
import {
  PruneJobConfigSchema,
  VerifyJobConfigSchema,
  type PruneJobConfig,
  type VerifyJobConfig,
} from '@pbs/api-types';
import { KEEP_FIELDS } from './datastore-config.js';
import type { FieldKind, SectionMapping } from './section-mapping.js';
import { TypedSectionConfig } from './typed-config.js';

const str: FieldKind = { kind: 'string' };
const bool: FieldKind = { kind: 'boolean' };
const int: FieldKind = { kind: 'integer' };

const pruneMapping: SectionMapping<PruneJobConfig> = {
  type: 'prune',
  idField: 'id',
  schema: PruneJobConfigSchema,
  fields: {
    store: str,
    schedule: str,
    disable: bool,
    comment: str,
    ns: str,
    'max-depth': int,
    ...KEEP_FIELDS,
  },
};

const verifyMapping: SectionMapping<VerifyJobConfig> = {
  type: 'verification',
  idField: 'id',
  schema: VerifyJobConfigSchema,
  fields: {
    store: str,
    schedule: str,
    'ignore-verified': bool,
    'outdated-after': int,
    comment: str,
    ns: str,
    'max-depth': int,
    'read-threads': int,
    'verify-threads': int,
  },
};

export function pruneJobConfigFile(etcDir: string): TypedSectionConfig<PruneJobConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'prune.cfg'), pruneMapping, 'prune job');
}

export function verifyJobConfigFile(etcDir: string): TypedSectionConfig<VerifyJobConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'verification.cfg'), verifyMapping, 'verify job');
}
