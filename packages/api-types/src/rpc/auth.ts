import { z } from 'zod';
import { AuthIdSchema, PasswordSchema, RealmSchema, UserIdSchema } from '../domain/names.js';
import { PrivilegeSchema } from '../domain/privileges.js';

export const LoginInputSchema = z.object({
  username: z.string().min(1, 'user name is required').max(64),
  realm: RealmSchema.default('pbs'),
  password: z.string().min(1, 'password is required').max(1024),
});
export type LoginInput = z.input<typeof LoginInputSchema>;

export const SessionSchema = z.object({
  username: UserIdSchema,
  csrfToken: z.string(),
  /** seconds until the ticket expires; the SPA renews well before */
  expiresIn: z.number().int().positive(),
});
export type Session = z.infer<typeof SessionSchema>;

export const WhoAmISchema = z.object({
  authId: AuthIdSchema,
  csrfToken: z.string().optional(),
  /** privileges per ACL path, as /access/permissions reports them for the caller */
  permissions: z.record(z.string(), z.array(PrivilegeSchema)),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;

export const RealmInfoSchema = z.object({
  realm: RealmSchema,
  type: z.enum(['pbs']),
  comment: z.string(),
  default: z.boolean(),
});
export type RealmInfo = z.infer<typeof RealmInfoSchema>;

export const ChangePasswordInputSchema = z
  .object({
    userid: UserIdSchema,
    password: PasswordSchema,
    /** the caller's current password; required when changing one's own password */
    confirmationPassword: z.string().max(1024).optional(),
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof ChangePasswordInputSchema>;
