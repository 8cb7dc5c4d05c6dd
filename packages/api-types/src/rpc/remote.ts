/**
 * Remotes (remote.cfg, pbs §13.1): another PBS-compatible server this one pulls from or pushes
 * to. The password / token secret is write-only: it is accepted on create and update and never
 * returned. Scans list the remote's datastores, namespaces and groups with the remote's
 * credentials, for the sync-job editor's pickers.
 */
import { z } from 'zod';
import { AuthIdSchema, CommentSchema, safeIdSchema } from '../domain/names.js';
import { DatastoreNameSchema, MaxDepthSchema } from '../domain/datastore.js';
import { DigestSchema } from './common.js';
import { GroupItemSchema, NamespaceSchema } from './content.js';
import { FingerprintSchema } from './s3.js';

export const RemoteNameSchema = safeIdSchema('remote name', 3, 32);

/** DNS name, IPv4 or IPv6 address (brackets optional), without scheme or port. */
export const RemoteHostSchema = z
  .string()
  .min(1, 'host is required')
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[?[0-9a-fA-F:.]+\]?)$/,
    'host must be a DNS name or an IP address (no scheme, no port)',
  );

export const PortSchema = z.number().int().min(1).max(65535);

/** The secret: a user's password or an API token's secret. */
export const RemotePasswordSchema = z.string().min(1, 'password or token secret is required').max(1024);

const RemoteFieldsSchema = z.object({
  host: RemoteHostSchema,
  /** default 8007 */
  port: PortSchema.optional(),
  /** 'user@realm' (password login) or 'user@realm!token' (API token) */
  authId: AuthIdSchema,
  /** SHA-256 of the remote's certificate; required unless it chains to a trusted CA */
  fingerprint: FingerprintSchema.optional(),
  comment: CommentSchema.optional(),
  useNodeProxy: z.boolean().optional(),
});

/** What the API returns: every field but the password. */
export const RemoteSchema = RemoteFieldsSchema.extend({ name: RemoteNameSchema });
export type Remote = z.infer<typeof RemoteSchema>;

/** remote.cfg entry as the server holds it (password decoded). Never sent to clients. */
export const RemoteConfigSchema = RemoteSchema.extend({ password: RemotePasswordSchema });
export type RemoteConfig = z.infer<typeof RemoteConfigSchema>;

export const RemoteListOutputSchema = z.object({ digest: DigestSchema, items: z.array(RemoteSchema) });
export type RemoteListOutput = z.infer<typeof RemoteListOutputSchema>;

export const RemoteRefSchema = z.object({ name: RemoteNameSchema, digest: DigestSchema.optional() });

export const CreateRemoteInputSchema = RemoteConfigSchema;
export type CreateRemoteInput = z.input<typeof CreateRemoteInputSchema>;

export const REMOTE_DELETABLE = ['port', 'fingerprint', 'comment', 'useNodeProxy'] as const;

export const UpdateRemoteInputSchema = RemoteFieldsSchema.partial().extend({
  name: RemoteNameSchema,
  /** absent: keep the stored secret */
  password: RemotePasswordSchema.optional(),
  delete: z.array(z.enum(REMOTE_DELETABLE)).optional(),
  digest: DigestSchema.optional(),
});
export type UpdateRemoteInput = z.input<typeof UpdateRemoteInputSchema>;

/** Reads the certificate a host presents, for the admin to confirm before saving it. */
export const FetchFingerprintInputSchema = z.object({ host: RemoteHostSchema, port: PortSchema.optional() });
export const FetchFingerprintOutputSchema = z.object({
  fingerprint: FingerprintSchema,
  subject: z.string(),
  issuer: z.string(),
  /** epoch seconds */
  notAfter: z.number().int().nullable(),
  /** the certificate chains to a CA this server trusts (no fingerprint needed) */
  trusted: z.boolean(),
});
export type FetchFingerprintOutput = z.infer<typeof FetchFingerprintOutputSchema>;

/** Logs in to a saved remote and asks for its version. */
export const TestRemoteInputSchema = z.object({ name: RemoteNameSchema });
export const TestRemoteOutputSchema = z.object({
  ok: z.literal(true),
  version: z.string(),
  release: z.string(),
  latencyMs: z.number(),
  message: z.string(),
});
export type TestRemoteOutput = z.infer<typeof TestRemoteOutputSchema>;

export const ScanRemoteDatastoresInputSchema = z.object({ name: RemoteNameSchema });
export const RemoteDatastoreItemSchema = z.object({
  store: DatastoreNameSchema,
  comment: z.string().optional(),
});
export const ScanRemoteDatastoresOutputSchema = z.array(RemoteDatastoreItemSchema);

export const ScanRemoteNamespacesInputSchema = z.object({
  name: RemoteNameSchema,
  store: DatastoreNameSchema,
  parent: NamespaceSchema.default(''),
  maxDepth: MaxDepthSchema.optional(),
});
export const ScanRemoteNamespacesOutputSchema = z.array(
  z.object({ ns: NamespaceSchema, comment: z.string().optional() }),
);

export const ScanRemoteGroupsInputSchema = z.object({
  name: RemoteNameSchema,
  store: DatastoreNameSchema,
  ns: NamespaceSchema.default(''),
});
export const ScanRemoteGroupsOutputSchema = z.array(GroupItemSchema);

export const RemoteGetOutputSchema = z.object({ digest: DigestSchema, remote: RemoteSchema });
export type RemoteGetOutput = z.infer<typeof RemoteGetOutputSchema>;
