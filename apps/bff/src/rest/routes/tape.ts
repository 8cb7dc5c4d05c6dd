/**
 * Tape routes as PBS (features §2.9): /config/{drive,changer,media-pool,tape-backup-job}[/{id}],
 * /tape/drive[/{drive}/…], /tape/changer[/{name}/{status,transfer}], /tape/media/…,
 * /tape/backup[/{id}], /tape/restore. Each delegates to a tape* procedure; parameters are
 * kebab-case, replies too. As upstream, media destroy is a GET.
 */
import type { z } from 'zod';
import {
  BarcodeLabelInputSchema,
  CreateTapeKeyInputSchema,
  CatalogMediaInputSchema,
  DestroyMediaInputSchema,
  FormatMediaInputSchema,
  LabelMediaInputSchema,
  LoadMediaInputSchema,
  LoadSlotInputSchema,
  MediaContentInputSchema,
  MediaPoolConfigSchema,
  MoveMediaInputSchema,
  TapeBackupInputSchema,
  TapeBackupJobConfigSchema,
  TapeRestoreInputSchema,
  UnloadInputSchema,
  UpdateChangerInputSchema,
  UpdateDriveInputSchema,
  UpdateInventoryInputSchema,
  UpdateMediaPoolInputSchema,
  UpdateTapeBackupJobInputSchema,
  VirtualChangerConfigSchema,
  VirtualDriveConfigSchema,
} from '@pbs/api-types';
import { inputFrom, toKebab } from '../coerce.js';
import { bool, str, type RestArgs } from '../params.js';
import { accessOf, result, type RestContext, type RestRoute } from '../route.js';

type Method = RestRoute['method'];
type AnyObject = z.ZodObject<Record<string, z.ZodType>>;

const camel = (key: string) => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function deletedKeys(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return items
    .flatMap((k) => k.split(/[,;\s]+/))
    .filter(Boolean)
    .map(camel);
}

function procedure(rest: RestContext, path: string): (input: unknown) => Promise<unknown> {
  const [area = '', name = ''] = path.split('.');
  const router = (
    rest.call as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
  )[area];
  const fn = router?.[name];
  if (!fn) throw new Error(`no procedure ${path}`);
  return fn;
}

/** a route whose input is the schema's fields from the arguments, plus the path parameters */
function route(
  method: Method,
  path: string,
  proc: string,
  opts: {
    schema?: AnyObject;
    params?: Record<string, string>;
    extra?: (args: RestArgs) => Record<string, unknown>;
    out?: (data: unknown) => unknown;
    noInput?: boolean;
  } = {},
): RestRoute {
  return {
    method,
    path,
    access: accessOf(proc),
    async handler(rest) {
      const input: Record<string, unknown> = opts.schema ? inputFrom(opts.schema, rest.args) : {};
      for (const [param, field] of Object.entries(opts.params ?? {})) input[field] = rest.params[param] ?? '';
      Object.assign(input, opts.extra?.(rest.args) ?? {});
      const data = await procedure(rest, proc)(opts.noInput ? undefined : input);
      if (data !== null && typeof data === 'object' && 'digest' in data && 'items' in data) {
        const { digest, items } = data as { digest: string; items: unknown[] };
        return result(toKebab(opts.out ? opts.out(items) : items), { digest });
      }
      if (data !== null && typeof data === 'object' && 'taskId' in data)
        return result((data as { taskId: string }).taskId);
      return result(data === undefined ? null : toKebab(opts.out ? opts.out(data) : data));
    },
  };
}

const withDelete = (args: RestArgs) => ({ delete: deletedKeys(args.delete), digest: str(args, 'digest') });
const digestOnly = (args: RestArgs) => ({ digest: str(args, 'digest') });

function configRoutes(
  base: string,
  proc: string,
  create: AnyObject,
  update: AnyObject,
  key = 'name',
): RestRoute[] {
  return [
    route('GET', base, `${proc}.list`, { noInput: true }),
    route('POST', base, `${proc}.create`, { schema: create }),
    route('PUT', `${base}/:${key}`, `${proc}.update`, {
      schema: update,
      params: { [key]: key },
      extra: withDelete,
    }),
    route('DELETE', `${base}/:${key}`, `${proc}.remove`, { params: { [key]: key }, extra: digestOnly }),
  ];
}

const drive = '/tape/drive/:drive';
const driveParam = { params: { drive: 'drive' } };

export const tapeRoutes: RestRoute[] = [
  ...configRoutes('/config/drive', 'tapeDrive', VirtualDriveConfigSchema, UpdateDriveInputSchema),
  ...configRoutes('/config/changer', 'tapeChanger', VirtualChangerConfigSchema, UpdateChangerInputSchema),
  ...configRoutes('/config/media-pool', 'tapePool', MediaPoolConfigSchema, UpdateMediaPoolInputSchema),
  route('GET', '/config/media-pool/:name', 'tapePool.get', {
    params: { name: 'name' },
    out: (d) => (d as { config: unknown }).config,
  }),
  ...configRoutes(
    '/config/tape-backup-job',
    'tapeJob',
    TapeBackupJobConfigSchema,
    UpdateTapeBackupJobInputSchema,
    'id',
  ),
  route('GET', '/config/tape-encryption-keys', 'tapeKey.list', { noInput: true }),
  route('POST', '/config/tape-encryption-keys', 'tapeKey.create', { schema: CreateTapeKeyInputSchema }),
  route('GET', '/config/tape-encryption-keys/:fingerprint', 'tapeKey.keyConfig', {
    params: { fingerprint: 'fingerprint' },
  }),
  route('DELETE', '/config/tape-encryption-keys/:fingerprint', 'tapeKey.remove', {
    params: { fingerprint: 'fingerprint' },
  }),
  route('GET', '/tape/drive', 'tapeDrive.list', { noInput: true }),
  route('GET', '/tape/changer', 'tapeChanger.list', { noInput: true }),
  route('GET', `${drive}/status`, 'tapeDrive.status', driveParam),
  route('POST', `${drive}/load-slot`, 'tapeDrive.loadSlot', { schema: LoadSlotInputSchema, ...driveParam }),
  route('POST', `${drive}/load-media`, 'tapeDrive.loadMedia', {
    schema: LoadMediaInputSchema,
    ...driveParam,
  }),
  route('POST', `${drive}/unload`, 'tapeDrive.unload', { schema: UnloadInputSchema, ...driveParam }),
  route('POST', `${drive}/eject-media`, 'tapeDrive.eject', driveParam),
  route('POST', `${drive}/label-media`, 'tapeDrive.label', { schema: LabelMediaInputSchema, ...driveParam }),
  route('POST', `${drive}/barcode-label-media`, 'tapeDrive.barcodeLabel', {
    schema: BarcodeLabelInputSchema,
    ...driveParam,
  }),
  route('POST', `${drive}/format-media`, 'tapeDrive.format', {
    schema: FormatMediaInputSchema,
    ...driveParam,
  }),
  route('GET', `${drive}/read-label`, 'tapeDrive.readLabel', {
    ...driveParam,
    extra: (args) => ({ inventorize: bool(args, 'inventorize') }),
  }),
  route('GET', `${drive}/inventory`, 'tapeDrive.inventory', driveParam),
  route('PUT', `${drive}/inventory`, 'tapeDrive.updateInventory', {
    schema: UpdateInventoryInputSchema,
    ...driveParam,
  }),
  route('POST', `${drive}/catalog`, 'tapeDrive.catalog', { schema: CatalogMediaInputSchema, ...driveParam }),
  route('GET', '/tape/changer/:name/status', 'tapeChanger.status', { params: { name: 'name' } }),
  route('POST', '/tape/changer/:name/transfer', 'tapeChanger.transfer', {
    params: { name: 'name' },
    extra: (args) => ({ from: Number(str(args, 'from')), to: Number(str(args, 'to')) }),
  }),
  route('GET', '/tape/media/list', 'tapeMedia.list', {
    extra: (args) => ({ pool: str(args, 'pool'), updateStatus: bool(args, 'update-status') }),
  }),
  route('GET', '/tape/media/content', 'tapeMedia.content', { schema: MediaContentInputSchema }),
  route('GET', '/tape/media/media-sets', 'tapeMedia.mediaSets', { noInput: true }),
  route('POST', '/tape/media/move', 'tapeMedia.move', { schema: MoveMediaInputSchema }),
  route('GET', '/tape/media/destroy', 'tapeMedia.destroy', { schema: DestroyMediaInputSchema }),
  route('POST', '/tape/media/list/:uuid/status', 'tapeMedia.setStatus', {
    params: { uuid: 'uuid' },
    extra: (args) => ({ status: str(args, 'status') }),
  }),
  route('GET', '/tape/backup', 'tapeJob.list', { noInput: true }),
  route('POST', '/tape/backup', 'tape.backup', { schema: TapeBackupInputSchema }),
  route('POST', '/tape/backup/:id', 'tapeJob.run', { params: { id: 'id' } }),
  route('POST', '/tape/restore', 'tape.restore', { schema: TapeRestoreInputSchema }),
];
