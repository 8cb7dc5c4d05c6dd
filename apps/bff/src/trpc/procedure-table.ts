/** The router's procedures with their declared access rules, for REST delegation and audits. */
import { appRouter } from '../routers/index.js';
import type { AccessRule } from './access-rule.js';

export interface ProcedureEntry {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  access: AccessRule | undefined;
}

interface ProcedureDef {
  _def: { type: ProcedureEntry['type']; meta?: { access?: AccessRule } };
}

export function listProcedures(): ProcedureEntry[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    access: procedure._def.meta?.access,
  }));
}
