/**
 * The protocol upgrade (pbs-formats §10.1): `GET /api2/json/backup` or `/api2/json/reader` with
 * `Upgrade: proxmox-backup-protocol-v1` (or the reader variant), authenticated like any API call,
 * answered with 101, then HTTP/2 on the same socket. Refusals before the upgrade are plain HTTP
 * replies with PBS's error shape (status + message).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, toAppError } from '@pbs/api-types';
import { ERROR_TRANSPORT, publicMessage } from '../errors.js';
import type { Services } from '../services/services.js';
import { resolveAuthState, type Caller } from '../trpc/auth-state.js';
import { startBackupSession } from './start-backup.js';
import { startReaderSession } from './start-reader.js';
import { BACKUP_PROTOCOL, READER_PROTOCOL, type UpgradeRequest } from './upgrade-request.js';

function refuse(socket: Duplex, err: unknown): void {
  const app = toAppError(err);
  const status = ERROR_TRANSPORT[app.code].http;
  const body = publicMessage(app.code, app.message);
  socket.end(
    `HTTP/1.1 ${status} ${app.code}\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function acceptor(socket: Duplex, head: Buffer) {
  return (protocol: string) =>
    new Promise<Duplex>((resolve) => {
      // Attach HTTP/2 only after the 101 is flushed (Node asserts otherwise).
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: ${protocol}\r\n\r\n`,
        () => {
          if (head.length > 0) socket.unshift(head);
          resolve(socket);
        },
      );
    });
}

async function authenticate(services: Services, req: http.IncomingMessage): Promise<Caller> {
  const auth = await resolveAuthState(services, req.headers);
  if (auth.caller === null) throw auth.failure ?? new AppError('UNAUTHENTICATED', 'authentication required');
  if (auth.caller.via === 'ticket' && !auth.csrfValid) {
    throw new AppError('UNAUTHENTICATED', 'missing or invalid CSRF prevention token');
  }
  return auth.caller;
}

export async function handleUpgrade(
  services: Services,
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const protocol = req.headers.upgrade;
    const kind =
      url.pathname === '/api2/json/backup'
        ? BACKUP_PROTOCOL
        : url.pathname === '/api2/json/reader'
          ? READER_PROTOCOL
          : null;
    if (kind === null) throw new AppError('NOT_FOUND', `no upgrade at '${url.pathname}'`);
    if (req.httpVersion !== '1.1') throw new AppError('INVALID_ARGUMENT', 'protocol upgrade needs HTTP/1.1');
    if (protocol !== kind)
      throw new AppError('INVALID_ARGUMENT', `invalid protocol name '${protocol ?? ''}', expected '${kind}'`);
    const upgrade: UpgradeRequest = {
      services,
      caller: await authenticate(services, req),
      query: url.searchParams,
      remote: req.socket.remoteAddress ?? 'unknown',
      accept: acceptor(socket, head),
    };
    if (kind === BACKUP_PROTOCOL) await startBackupSession(upgrade);
    else await startReaderSession(upgrade);
  } catch (err) {
    refuse(socket, err);
  }
}
