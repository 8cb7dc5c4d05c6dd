/**
 * CRUD procedures over one tape config file (drives, changers, pools): the list shows what the
 * caller may audit (Tape.Audit on `<base>/<name>`), writes need Tape.Modify on `<base>`; updates
 * apply a patch plus a `delete` list under the file's digest.
 */
import { z } from 'zod';
import { DigestSchema, privilegeBit } from '@pbs/api-types';
import type { TypedSectionConfig } from '../../services/config/typed-config.js';
import type { Services } from '../../services/services.js';
import { customAccessProcedure, privilegedProcedure } from '../../trpc/procedures.js';

export interface CrudKind<T extends { name: string }, L> {
  /** ACL base path, e.g. '/tape/device' */
  base: string;
  file: (services: Services) => TypedSectionConfig<T>;
  configSchema: z.ZodType<T>;
  updateSchema: z.ZodType<Partial<T> & { name: string; digest?: string; delete?: string[] }>;
  /** what the list shows per item (status added); defaults to the config */
  decorate?: (services: Services, item: T) => Promise<L>;
  /** checks against other config before a create or update is written */
  check?: (services: Services, item: T) => Promise<void>;
}

export function configCrud<T extends { name: string }, L = T>(kind: CrudKind<T, L>) {
  const list = customAccessProcedure(`entries with Tape.Audit on ${kind.base}/<name>`)
    .output(z.object({ digest: z.string(), items: z.array(z.custom<L>()) }))
    .query(async ({ ctx }) => {
      const { digest, items } = await kind.file(ctx.services).read();
      const visible: L[] = [];
      for (const item of items) {
        const mask = await ctx.services.access.privileges(ctx.caller.authId, `${kind.base}/${item.name}`);
        if ((mask & privilegeBit('Tape.Audit')) === 0) continue;
        visible.push(kind.decorate ? await kind.decorate(ctx.services, item) : (item as unknown as L));
      }
      return { digest, items: visible };
    });

  const create = privilegedProcedure(kind.configSchema, { privs: ['Tape.Modify'], path: kind.base })
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const item = input as T;
      await kind.check?.(ctx.services, item);
      await kind.file(ctx.services).create(item);
    });

  const update = privilegedProcedure(kind.updateSchema, { privs: ['Tape.Modify'], path: kind.base })
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const {
        name,
        digest,
        delete: deleted = [],
        ...patch
      } = input as Partial<T> & {
        name: string;
        digest?: string;
        delete?: string[];
      };
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const file = kind.file(ctx.services);
      const next = (item: T): T => {
        const merged: Record<string, unknown> = { ...item, ...defined };
        for (const key of deleted) delete merged[key];
        return merged as T;
      };
      if (kind.check) await kind.check(ctx.services, next((await file.get(name)).item));
      await file.update(name, next, digest);
    });

  const remove = privilegedProcedure(z.object({ name: z.string(), digest: DigestSchema.optional() }), {
    privs: ['Tape.Modify'],
    path: kind.base,
  })
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      await kind.file(ctx.services).remove(input.name, input.digest);
    });

  return { list, create, update, remove };
}
