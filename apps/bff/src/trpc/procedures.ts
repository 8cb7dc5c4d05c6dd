/**
 * Procedure builders. Each one fixes an access rule in the meta and enforces it:
 * authentication, CSRF on writes through a ticket, and privileges on the input's ACL path.
 */
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { Privilege } from '@pbs/api-types';
import type { AccessRule } from './access-rule.js';
import type { Caller } from './auth-state.js';
import type { Context } from './context.js';
import { errorMapping, t, toTrpcError } from './init.js';

const base = t.procedure.use(errorMapping);

export const publicProcedure = base.meta({ access: { kind: 'public' } });

const requireCaller = t.middleware(({ ctx, type, next }) => {
  const { caller, failure, csrfValid } = ctx.auth;
  if (caller === null) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: failure?.message ?? 'authentication required' });
  }
  if (type === 'mutation' && !csrfValid) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'missing or invalid CSRF prevention token' });
  }
  return next({ ctx: { ...ctx, caller } });
});

const authed = base.use(requireCaller);

/** Any logged-in user or token. */
export const authedProcedure = authed.meta({ access: { kind: 'authenticated' } });

/** The handler checks access itself (ownership or a privilege); `describe` documents the rule. */
export function customAccessProcedure(describe: string) {
  return authed.meta({ access: { kind: 'custom', describe } });
}

export interface PrivilegeRule<I> {
  privs: Privilege[];
  /** one of the privileges is enough */
  any?: boolean;
  path: string | ((input: I) => string);
}

async function enforce(
  ctx: { services: Context['services']; caller: Caller },
  path: string,
  rule: { privs: Privilege[]; any?: boolean },
): Promise<void> {
  try {
    await ctx.services.access.checkPrivileges(ctx.caller.authId, path, rule.privs, { any: rule.any });
  } catch (err) {
    throw toTrpcError(err);
  }
}

/**
 * Requires privileges on an ACL path. A fixed path is checked before the input is validated, so
 * an unprivileged caller learns nothing from validation errors; a path computed from the input
 * is checked right after validation.
 */
export function privilegedProcedure<S extends z.ZodType>(schema: S, rule: PrivilegeRule<z.output<S>>) {
  const access: AccessRule = { kind: 'privilege', privs: rule.privs, any: rule.any, path: rule.path };
  const { path } = rule;
  if (typeof path === 'string') {
    return authed
      .meta({ access })
      .use(async ({ ctx, next }) => {
        await enforce(ctx, path, rule);
        return next();
      })
      .input(schema);
  }
  return authed
    .meta({ access })
    .input(schema)
    .use(async ({ ctx, input, next }) => {
      await enforce(ctx, path(input as z.output<S>), rule);
      return next();
    });
}

/** Privileges on a fixed path, for procedures without input. */
export function privilegedNoInputProcedure(rule: { privs: Privilege[]; any?: boolean; path: string }) {
  return authed.meta({ access: { kind: 'privilege', ...rule } }).use(async ({ ctx, next }) => {
    await enforce(ctx, rule.path, rule);
    return next();
  });
}
