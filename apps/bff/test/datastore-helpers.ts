/**
 * Helpers for the datastore integration tests: users with roles, typed clients per user, task
 * waiting, error inspection for tRPC and REST, and seeding through the engine.
 */
import { TRPCClientError } from '@trpc/client';
import type { Role } from '@pbs/api-types';
import type { TaskStatusInfo } from '@pbs/tasks';
import { seedSnapshot, type SeedSnapshotOptions } from '@pbs/datastore/testing';
import type { Datastore } from '@pbs/datastore';
import type { AppRouter } from '../src/routers/index.js';
import type { Services } from '../src/services/services.js';
import type { TestServer } from './harness.js';
import { request, restLogin, type Session, ADMIN_PASSWORD } from './fixtures.js';
import type { HttpReply } from './http-client.js';
import { trpcClient } from './trpc-client.js';

export type Client = ReturnType<typeof trpcClient>;

export interface Actor {
  authId: string;
  session: Session;
  trpc: Client;
  rest: RestClient;
}

/** Waits for a task's end (no sleeps: follows the task's event stream) and returns its status. */
export async function waitTask(services: Services, upid: string): Promise<TaskStatusInfo> {
  for await (const event of services.tasks.follow(upid, 0)) if (event.kind === 'end') break;
  return services.tasks.status(upid);
}

export async function taskLog(services: Services, upid: string): Promise<string[]> {
  return (await services.tasks.readLog(upid)).lines.map((l) => l.t.replace(/^\S+: /, ''));
}

export interface TrpcFailure {
  code: string;
  app?: string;
  details?: Record<string, unknown>;
  fieldErrors?: Record<string, string[] | undefined>;
  message: string;
}

interface ErrorData {
  code: string;
  app: { code: string; details?: Record<string, unknown> } | null;
  zodError: { fieldErrors: Record<string, string[] | undefined> } | null;
}

/** The tRPC error a call fails with (the test fails if it succeeds). */
export async function trpcFailure(promise: Promise<unknown>): Promise<TrpcFailure> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    const data = (err as TRPCClientError<AppRouter>).data as ErrorData | undefined;
    return {
      code: data?.code ?? 'UNKNOWN',
      app: data?.app?.code,
      details: data?.app?.details,
      fieldErrors: data?.zodError?.fieldErrors,
      message: err.message,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export interface RestClient {
  get(path: string, query?: Record<string, string | number | boolean>): Promise<HttpReply>;
  post(path: string, body?: Record<string, unknown>): Promise<HttpReply>;
  put(path: string, body?: Record<string, unknown>): Promise<HttpReply>;
  del(path: string, query?: Record<string, string | number | boolean>): Promise<HttpReply>;
}

function withQuery(path: string, query?: Record<string, string | number | boolean>): string {
  if (query === undefined) return path;
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  return `${path}?${params.toString()}`;
}

export function restClient(server: TestServer, session: Session): RestClient {
  const ca = server.services.certificate.cert;
  const api = (path: string) => `/api2/json${path}`;
  return {
    get: (path, query) =>
      request(server.url, 'GET', api(withQuery(path, query)), { ca, headers: session.read }),
    post: (path, body) =>
      request(server.url, 'POST', api(path), { ca, headers: session.write, body: body ?? {} }),
    put: (path, body) =>
      request(server.url, 'PUT', api(path), { ca, headers: session.write, body: body ?? {} }),
    del: (path, query) =>
      request(server.url, 'DELETE', api(withQuery(path, query)), { ca, headers: session.write }),
  };
}

/** The `data` of a successful REST reply (the test fails on any other status). */
export function data<T = unknown>(reply: HttpReply): T {
  if (reply.status !== 200) throw new Error(`expected 200, got ${reply.status}: ${reply.text}`);
  return reply.json<{ data: T }>().data;
}

export async function actor(server: TestServer, authId: string, password: string): Promise<Actor> {
  const session = await restLogin(server, authId, password);
  const ca = server.url.startsWith('https:') ? server.services.certificate.cert : undefined;
  return { authId, session, trpc: trpcClient(server.url, session, ca), rest: restClient(server, session) };
}

export function adminActor(server: TestServer): Promise<Actor> {
  return actor(server, 'admin@pbs', ADMIN_PASSWORD);
}

/** A new user with `role` on each of `paths` (e.g. '/datastore/store1'). */
export async function userWithRole(
  server: TestServer,
  userid: string,
  grants: Array<{ path: string; role: Role; propagate?: boolean }>,
): Promise<Actor> {
  const password = `${userid}-password`;
  await server.services.access.createUser({ userid, password });
  for (const grant of grants) {
    await server.services.access.updateAcl({ authId: userid, ...grant });
  }
  return actor(server, userid, password);
}

export async function openStore(server: TestServer, store: string): Promise<Datastore> {
  return (await server.services.datastores.open(store, 'write')).datastore;
}

export async function seed(ds: Datastore, snapshots: SeedSnapshotOptions[]): Promise<void> {
  for (const snap of snapshots) await seedSnapshot(ds, snap);
}

/** Epoch seconds of a UTC date. */
export function utc(year: number, month: number, day: number, hour = 12): number {
  return Date.UTC(year, month - 1, day, hour) / 1000;
}
