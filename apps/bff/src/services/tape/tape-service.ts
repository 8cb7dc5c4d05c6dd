/**
 * The tape side of the composition root: config files, the state directory (lib/tape: inventory
 * and media catalogs, as PBS's /var/lib/proxmox-backup/tape), devices built from tape.cfg, and
 * tape operations started as worker tasks with PBS worker types.
 */
import path from 'node:path';
import {
  AppError,
  type MediaPoolConfig,
  type TapeBackupJobConfig,
  type VirtualChangerConfig,
  type VirtualDriveConfig,
} from '@pbs/api-types';
import {
  Inventory,
  TapeKeyStore,
  tapeContext,
  virtualDevice,
  type TapeContext,
  type TapeDevice,
  type TapeKeyLookup,
} from '@pbs/tape';
import type { TaskManager } from '@pbs/tasks';
import type { TypedSectionConfig } from '../config/typed-config.js';
import {
  mediaPoolConfigFile,
  tapeChangerConfigFile,
  tapeDriveConfigFile,
  tapeJobConfigFile,
} from '../config/tape-config.js';

export class TapeService {
  readonly drives: TypedSectionConfig<VirtualDriveConfig>;
  readonly changers: TypedSectionConfig<VirtualChangerConfig>;
  readonly pools: TypedSectionConfig<MediaPoolConfig>;
  readonly jobs: TypedSectionConfig<TapeBackupJobConfig>;
  readonly stateDir: string;
  /** tape-encryption-keys.json (0600) and tape-encryption-key-config.json in etc */
  readonly keys: TapeKeyStore;
  readonly keyLookup: TapeKeyLookup;

  constructor(
    etcDir: string,
    libDir: string,
    private readonly tasks: TaskManager,
  ) {
    this.drives = tapeDriveConfigFile(etcDir);
    this.changers = tapeChangerConfigFile(etcDir);
    this.pools = mediaPoolConfigFile(etcDir);
    this.jobs = tapeJobConfigFile(etcDir);
    this.stateDir = path.join(libDir, 'tape');
    this.keys = new TapeKeyStore(etcDir);
    this.keyLookup = (fingerprint) => this.keys.key(fingerprint);
  }

  inventory(): Promise<Inventory> {
    return Inventory.load(this.stateDir);
  }

  async pool(name: string): Promise<MediaPoolConfig> {
    return (await this.pools.get(name)).item;
  }

  /** the drive as a device: in its virtual changer, or as its own changer (PBS virtual drive) */
  async device(driveName: string): Promise<TapeDevice> {
    const { item: drive } = await this.drives.get(driveName);
    if (drive.changer === undefined) {
      return virtualDevice({ driveName, dir: drive.path, maxSize: drive.maxSize });
    }
    const { item: changer } = await this.changers.get(drive.changer).catch((err: unknown) => {
      throw new AppError(
        'INVALID_ARGUMENT',
        `drive '${driveName}': changer '${drive.changer}' does not exist`,
        {
          cause: err,
        },
      );
    });
    const drivesOfChanger = (await this.drives.read()).items.filter((d) => d.changer === changer.name);
    const drivenum = drive.changerDrivenum ?? 0;
    return virtualDevice({
      driveName,
      dir: changer.path,
      maxSize: drive.maxSize ?? changer.maxSize,
      drivenum,
      changer: {
        name: changer.name,
        slots: changer.slots,
        exportSlots: parseSlots(changer.exportSlots),
        drives: Math.max(drivenum + 1, ...drivesOfChanger.map((d) => (d.changerDrivenum ?? 0) + 1)),
      },
    });
  }

  /** a changer as its own device (drive 0 of it, if any, for the drive side) */
  async changerDevice(changerName: string): Promise<TapeDevice> {
    const drive = (await this.drives.read()).items.find(
      (d) => d.changer === changerName && (d.changerDrivenum ?? 0) === 0,
    );
    if (drive) return this.device(drive.name);
    const { item: changer } = await this.changers.get(changerName);
    return virtualDevice({
      driveName: changerName,
      dir: changer.path,
      maxSize: changer.maxSize,
      changer: {
        name: changer.name,
        slots: changer.slots,
        exportSlots: parseSlots(changer.exportSlots),
        drives: 1,
      },
    });
  }

  /** a tape operation as a worker task; resolves the UPID */
  spawn(type: string, id: string, authId: string, run: (ctx: TapeContext) => Promise<void>): Promise<string> {
    return this.tasks.spawn({ type, id, authId, run: (ctx) => run(tapeContext(ctx)) });
  }
}

export function parseSlots(text: string | undefined): number[] {
  return text === undefined || text === '' ? [] : text.split(',').map(Number);
}
