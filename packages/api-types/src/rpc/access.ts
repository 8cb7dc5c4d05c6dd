import { z } from 'zod';
import {
  AuthIdSchema,
  CommentSchema,
  PasswordSchema,
  TokenIdSchema,
  TokenNameSchema,
  UserIdSchema,
} from '../domain/names.js';
import { AclPathSchema, PrivilegeSchema, RoleSchema } from '../domain/privileges.js';
import { DigestSchema, EpochSchema } from './common.js';

const NameSchema = z
  .string()
  .max(64)
  .regex(/^[^\p{Cc}]*$/u, 'must be a single line');
const EmailSchema = z.union([z.literal(''), z.string().email('not a valid e-mail address').max(64)]);

/** expire: epoch seconds, 0 means never (PBS semantics) */
export const ApiTokenSchema = z.object({
  tokenid: TokenIdSchema,
  comment: z.string().optional(),
  enable: z.boolean(),
  expire: EpochSchema,
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const UserSchema = z.object({
  userid: UserIdSchema,
  comment: z.string().optional(),
  enable: z.boolean(),
  expire: EpochSchema,
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  email: z.string().optional(),
  tokens: z.array(ApiTokenSchema),
});
export type User = z.infer<typeof UserSchema>;

export const UserListOutputSchema = z.object({ digest: DigestSchema, items: z.array(UserSchema) });
export type UserListOutput = z.infer<typeof UserListOutputSchema>;

const UserFieldsSchema = z.object({
  comment: CommentSchema.optional(),
  enable: z.boolean().optional(),
  expire: EpochSchema.optional(),
  firstname: NameSchema.optional(),
  lastname: NameSchema.optional(),
  email: EmailSchema.optional(),
});

export const CreateUserInputSchema = UserFieldsSchema.extend({
  userid: UserIdSchema.refine((id) => id.endsWith('@pbs'), "new users must be in the 'pbs' realm"),
  password: PasswordSchema,
});
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = UserFieldsSchema.extend({
  userid: UserIdSchema,
  digest: DigestSchema.optional(),
  /** property names to reset to their defaults */
  delete: z.array(z.enum(['comment', 'firstname', 'lastname', 'email'])).optional(),
});
export type UpdateUserInput = z.input<typeof UpdateUserInputSchema>;

export const RemoveUserInputSchema = z.object({ userid: UserIdSchema, digest: DigestSchema.optional() });

export const CreateTokenInputSchema = z.object({
  userid: UserIdSchema,
  tokenName: TokenNameSchema,
  comment: CommentSchema.optional(),
  enable: z.boolean().optional(),
  expire: EpochSchema.optional(),
});
export type CreateTokenInput = z.input<typeof CreateTokenInputSchema>;

/** The secret appears in this reply only; it is stored hashed. */
export const CreateTokenOutputSchema = z.object({ tokenid: TokenIdSchema, value: z.string() });
export type CreateTokenOutput = z.infer<typeof CreateTokenOutputSchema>;

export const UpdateTokenInputSchema = z.object({
  tokenid: TokenIdSchema,
  comment: CommentSchema.optional(),
  enable: z.boolean().optional(),
  expire: EpochSchema.optional(),
  digest: DigestSchema.optional(),
});
export type UpdateTokenInput = z.input<typeof UpdateTokenInputSchema>;

export const TokenRefSchema = z.object({ tokenid: TokenIdSchema, digest: DigestSchema.optional() });

export const AclEntrySchema = z.object({
  path: AclPathSchema,
  ugid: AuthIdSchema,
  ugid_type: z.literal('user'),
  propagate: z.boolean(),
  roleid: RoleSchema,
});
export type AclEntry = z.infer<typeof AclEntrySchema>;

export const AclListInputSchema = z.object({
  path: AclPathSchema.optional(),
  /** only entries on exactly this path, not below it */
  exact: z.boolean().default(false),
});
export const AclListOutputSchema = z.object({ digest: DigestSchema, items: z.array(AclEntrySchema) });
export type AclListOutput = z.infer<typeof AclListOutputSchema>;

export const UpdateAclInputSchema = z.object({
  path: AclPathSchema,
  role: RoleSchema,
  authId: AuthIdSchema,
  propagate: z.boolean().default(true),
  /** remove this entry instead of adding it */
  delete: z.boolean().default(false),
  digest: DigestSchema.optional(),
});
export type UpdateAclInput = z.input<typeof UpdateAclInputSchema>;

export const PermissionsInputSchema = z.object({
  authId: AuthIdSchema.optional(),
  path: AclPathSchema.optional(),
});
export const PermissionsOutputSchema = z.record(z.string(), z.array(PrivilegeSchema));
export type PermissionsOutput = z.infer<typeof PermissionsOutputSchema>;
