/** A PBS-compatible REST route: method, path, declared access rule and a handler. */
import type { Request, Response } from 'express';
import type { AccessRule } from '../trpc/access-rule.js';
import type { Context } from '../trpc/context.js';
import type { appRouter } from '../routers/index.js';
import { listProcedures } from '../trpc/procedure-table.js';
import type { RestArgs } from './params.js';

export type TrpcCaller = ReturnType<typeof appRouter.createCaller>;

export interface RestContext {
  ctx: Context;
  /** the tRPC procedures, called with this request's auth: privilege checks live there */
  call: TrpcCaller;
  params: Record<string, string>;
  args: RestArgs;
  req: Request;
  res: Response;
}

/** What a handler returns: the `data` value, plus optional top-level attributes (PBS's `total`). */
export interface RestResult {
  data: unknown;
  attributes?: Record<string, unknown>;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** express path below /api2/json, e.g. '/access/users/:userid' */
  path: string;
  access: AccessRule;
  /** the body is binary (an upload), available as `rest.req.body` Buffer */
  rawBody?: boolean;
  handler: (rest: RestContext) => Promise<RestResult>;
}

export function result(data: unknown, attributes?: Record<string, unknown>): RestResult {
  return { data, attributes };
}

/** The access rule of the tRPC procedure a route delegates to, so the two never disagree. */
export function accessOf(procedurePath: string): AccessRule {
  const access = listProcedures().find((entry) => entry.path === procedurePath)?.access;
  if (access === undefined) throw new Error(`no procedure '${procedurePath}' with an access rule`);
  return access;
}
