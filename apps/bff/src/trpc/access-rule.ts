/**
 * What a procedure or REST route requires of its caller. Every procedure declares one in its
 * meta; the access-matrix test walks the router and proves each rule is enforced.
 */
import type { Privilege } from '@pbs/api-types';

export type AccessRule =
  /** anyone, logged in or not (login, ping, server info) */
  | { kind: 'public' }
  /** any authenticated user or token */
  | { kind: 'authenticated' }
  /** a privilege on an ACL path, derived from the validated input */
  | { kind: 'privilege'; privs: Privilege[]; any?: boolean; path: string | ((input: never) => string) }
  /** the handler decides (own objects, or a privilege); `describe` says what it checks */
  | { kind: 'custom'; describe: string };

export interface ProcedureMeta {
  access: AccessRule;
}
