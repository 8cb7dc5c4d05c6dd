/**
 * /api2/json/admin/datastore/{store}/…: the file browser's catalog listing and the binary
 * downloads (download, download-decoded, pxar-file-download). Like PBS, filepaths arrive
 * base64-encoded; pxar-file-download also takes several filepaths at once (the restore basket).
 */
import type { Response } from 'express';
import { AppError, type SnapshotRef } from '@pbs/api-types';
import {
  downloadDecoded,
  downloadFromArchive,
  downloadRaw,
  type DownloadTarget,
} from '../../services/browse/downloads.js';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { snapshotFrom } from '../coerce.js';
import { bool, list, str } from '../params.js';
import { accessOf, result, type RestContext, type RestRoute } from '../route.js';

const base = '/admin/datastore/:store';
const READ_RULE = { kind: 'custom', describe: 'Datastore.Read, or Datastore.Backup as owner' } as const;

function decodePath(encoded: string): string {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  return text === 'root' || text === '/' ? '' : text.replace(/^\/+/, '');
}

async function readableSnapshot(rest: RestContext) {
  const store = rest.params.store ?? '';
  const ns = str(rest.args, 'ns') ?? '';
  const snap = snapshotFrom(rest.args) as SnapshotRef | undefined;
  if (snap === undefined)
    throw new AppError('INVALID_ARGUMENT', 'backup-type, backup-id and backup-time are required');
  const { datastore } = await rest.ctx.services.datastores.open(store, 'read');
  const caller = rest.ctx.auth.caller;
  if (caller === null) throw new AppError('UNAUTHENTICATED', 'authentication required');
  const access = await StoreAccess.of(rest.ctx.services, caller, store, ns);
  const owner = await datastore.getOwner(ns, snap).catch(() => null);
  access.require(['Datastore.Read'], ['Datastore.Backup'], owner, 'read snapshot');
  return { datastore, ns, snap };
}

function target(res: Response, signal: AbortSignal): DownloadTarget {
  return {
    signal,
    start(contentType, fileName, size) {
      res.setHeader('content-type', contentType);
      res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
      if (size !== undefined) res.setHeader('content-length', String(size));
      return res;
    },
  };
}

function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

export const datastoreFileRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: `${base}/files`,
    access: accessOf('snapshot.list'),
    async handler(rest) {
      const snap = snapshotFrom(rest.args) as SnapshotRef | undefined;
      if (snap === undefined)
        throw new AppError('INVALID_ARGUMENT', 'backup-type, backup-id and backup-time are required');
      const page = await rest.call.snapshot.list({
        store: rest.params.store ?? '',
        ns: str(rest.args, 'ns') ?? '',
        group: { type: snap.type, id: snap.id },
        time: snap.time,
        start: 0,
        limit: 1,
      });
      const found = page.items[0];
      if (found === undefined)
        throw new AppError('NOT_FOUND', `snapshot '${snap.type}/${snap.id}/${snap.time}' not found`);
      return result(
        found.files.map((f) => ({
          filename: f.filename,
          size: f.size ?? undefined,
          'crypt-mode': f.cryptMode,
        })),
      );
    },
  },
  {
    method: 'POST',
    path: `${base}/upload-backup-log`,
    access: { kind: 'custom', describe: 'Datastore.Backup as owner of the group' },
    rawBody: true,
    async handler(rest) {
      const store = rest.params.store ?? '';
      const ns = str(rest.args, 'ns') ?? '';
      const snap = snapshotFrom(rest.args) as SnapshotRef | undefined;
      if (snap === undefined)
        throw new AppError('INVALID_ARGUMENT', 'backup-type, backup-id and backup-time are required');
      const caller = rest.ctx.auth.caller;
      if (caller === null) throw new AppError('UNAUTHENTICATED', 'authentication required');
      if (caller.via === 'ticket' && !rest.ctx.auth.csrfValid) {
        throw new AppError('UNAUTHENTICATED', 'missing or invalid CSRF prevention token');
      }
      const { datastore } = await rest.ctx.services.datastores.open(store, 'write');
      const access = await StoreAccess.of(rest.ctx.services, caller, store, ns);
      const owner = await datastore.getOwner(ns, snap).catch(() => null);
      access.require([], ['Datastore.Backup'], owner, 'upload backup log');
      const body: unknown = rest.req.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new AppError('INVALID_ARGUMENT', 'the request body must be the log blob');
      await datastore.uploadClientLog(ns, snap, body);
      return result(null);
    },
  },
  {
    method: 'GET',
    path: `${base}/catalog`,
    access: accessOf('browse.list'),
    async handler(rest) {
      const snap = snapshotFrom(rest.args) as SnapshotRef | undefined;
      const path = decodePath(str(rest.args, 'filepath') ?? '');
      const entries = await rest.call.browse.list({
        store: rest.params.store ?? '',
        ns: str(rest.args, 'ns') ?? '',
        snapshot: snap ?? { type: 'host', id: '', time: 0 },
        path,
      });
      return result(
        entries.map((e) => ({
          filepath: Buffer.from(`/${e.path}`).toString('base64'),
          text: e.name,
          type: e.type,
          leaf: e.leaf,
          size: e.size,
          mtime: e.mtime,
        })),
      );
    },
  },
  {
    method: 'GET',
    path: `${base}/download`,
    access: READ_RULE,
    async handler(rest) {
      const { datastore, ns, snap } = await readableSnapshot(rest);
      await downloadRaw(
        datastore,
        ns,
        snap,
        str(rest.args, 'file-name') ?? '',
        target(rest.res, abortOnClose(rest.res)),
      );
      return result(undefined);
    },
  },
  {
    method: 'GET',
    path: `${base}/download-decoded`,
    access: READ_RULE,
    async handler(rest) {
      const { datastore, ns, snap } = await readableSnapshot(rest);
      await downloadDecoded(
        datastore,
        ns,
        snap,
        str(rest.args, 'file-name') ?? '',
        target(rest.res, abortOnClose(rest.res)),
      );
      return result(undefined);
    },
  },
  {
    method: 'GET',
    path: `${base}/pxar-file-download`,
    access: READ_RULE,
    async handler(rest) {
      const { datastore, ns, snap } = await readableSnapshot(rest);
      const paths = (list(rest.args, 'filepath') ?? []).map(decodePath).filter((p) => p !== '');
      if (paths.length === 0) throw new AppError('INVALID_ARGUMENT', "parameter 'filepath' is missing");
      const baseName = `${snap.type}-${snap.id}-${new Date(snap.time * 1000).toISOString().slice(0, 19).replace(/:/g, '')}`;
      const format = bool(rest.args, 'tar') === true ? 'tar.zst' : 'zip';
      await downloadFromArchive(
        datastore,
        ns,
        snap,
        paths,
        format,
        baseName,
        target(rest.res, abortOnClose(rest.res)),
      );
      return result(undefined);
    },
  },
];
