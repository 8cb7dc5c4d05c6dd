import { randomBytes } from 'node:crypto';
import type { AccessContext } from './access-context.js';
import { writePassword } from './user-ops.js';
import { assertPassword } from './validate.js';

export const BOOTSTRAP_ADMIN = 'admin@pbs';

/** 18 random bytes → 24 characters of base64url: ~144 bits, no characters that need quoting. */
function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * First start: with no user at all, create admin@pbs with Admin on '/'. The password and the ACL
 * entry are written before user.cfg (all under the user.cfg lock), so an interrupted bootstrap
 * leaves no user and simply runs again on the next start.
 */
export async function bootstrapAdmin(
  ctx: AccessContext,
  password?: string,
): Promise<{ created: boolean; password?: string }> {
  if (password !== undefined) assertPassword(password);
  const { result } = await ctx.users.update(undefined, async (config) => {
    if (config.users().length > 0) return { created: false };
    const chosen = password ?? generatePassword();
    await writePassword(ctx, BOOTSTRAP_ADMIN, chosen);
    await ctx.acl.update(undefined, (acl) => acl.insertUserRole([], BOOTSTRAP_ADMIN, 'Admin', true));
    config.putUser({ userid: BOOTSTRAP_ADMIN, comment: 'Administrator', enable: true, expire: 0 });
    return password === undefined ? { created: true, password: chosen } : { created: true };
  });
  return result;
}
