/**
 * Tape configuration files (pbs-formats §12.3–12.4): tape.cfg (section `virtual` for virtual
 * drives as PBS, plus our `virtual-changer`), media-pool.cfg (type `pool`) and tape-job.cfg
 * (type `backup`). Drives and changers share tape.cfg and its id namespace.
 */
import path from 'node:path';
import {
  MediaPoolConfigSchema,
  TapeBackupJobConfigSchema,
  VirtualChangerConfigSchema,
  VirtualDriveConfigSchema,
  type MediaPoolConfig,
  type TapeBackupJobConfig,
  type VirtualChangerConfig,
  type VirtualDriveConfig,
} from '@pbs/api-types';
import type { FieldKind, SectionMapping } from './section-mapping.js';
import { TypedSectionConfig } from './typed-config.js';

const str: FieldKind = { kind: 'string' };
const bool: FieldKind = { kind: 'boolean' };
const int: FieldKind = { kind: 'integer' };
const strs: FieldKind = { kind: 'strings' };

const driveMapping: SectionMapping<VirtualDriveConfig> = {
  type: 'virtual',
  idField: 'name',
  schema: VirtualDriveConfigSchema,
  fields: { path: str, 'max-size': int, changer: str, 'changer-drivenum': int, comment: str },
};

const changerMapping: SectionMapping<VirtualChangerConfig> = {
  type: 'virtual-changer',
  idField: 'name',
  schema: VirtualChangerConfigSchema,
  fields: { path: str, slots: int, 'export-slots': str, 'max-size': int, comment: str },
};

const poolMapping: SectionMapping<MediaPoolConfig> = {
  type: 'pool',
  idField: 'name',
  schema: MediaPoolConfigSchema,
  fields: { allocation: str, retention: str, template: str, encrypt: str, comment: str },
};

const jobMapping: SectionMapping<TapeBackupJobConfig> = {
  type: 'backup',
  idField: 'id',
  schema: TapeBackupJobConfigSchema,
  fields: {
    store: str,
    pool: str,
    drive: str,
    ns: str,
    'max-depth': int,
    'group-filter': strs,
    'latest-only': bool,
    'eject-media': bool,
    'export-media-set': bool,
    'notify-user': str,
    'notification-mode': str,
    'worker-threads': int,
    schedule: str,
    comment: str,
  },
};

export function tapeDriveConfigFile(etcDir: string): TypedSectionConfig<VirtualDriveConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'tape.cfg'), driveMapping, 'tape drive');
}

export function tapeChangerConfigFile(etcDir: string): TypedSectionConfig<VirtualChangerConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'tape.cfg'), changerMapping, 'tape changer');
}

export function mediaPoolConfigFile(etcDir: string): TypedSectionConfig<MediaPoolConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'media-pool.cfg'), poolMapping, 'media pool');
}

export function tapeJobConfigFile(etcDir: string): TypedSectionConfig<TapeBackupJobConfig> {
  return new TypedSectionConfig(path.join(etcDir, 'tape-job.cfg'), jobMapping, 'tape backup job');
}
