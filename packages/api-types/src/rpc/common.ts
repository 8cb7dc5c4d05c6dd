import { z } from 'zod';

/** Every config read returns the digest of the file it came from; updates must send it back. */
export const DigestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'digest must be 64 lowercase hex digits');

/** Unix epoch seconds, as PBS uses everywhere in its API. */
export const EpochSchema = z.number().int().nonnegative();

export const PageInputSchema = z.object({
  start: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(10_000).default(50),
});
