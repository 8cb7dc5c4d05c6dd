import { z } from 'zod';

/** Public facts the login page and header show before anyone is logged in. */
export const ServerInfoSchema = z.object({
  product: z.string(),
  version: z.string(),
  release: z.string(),
  /** where the BETA link points; null hides it */
  bugTrackerUrl: z.string().url().nullable(),
  /** SHA-256 fingerprint of the server certificate (public: every TLS client sees it) */
  fingerprint: z.string(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const NodeStatusSchema = z.object({
  hostname: z.string(),
  uptime: z.number().nonnegative(),
  processUptime: z.number().nonnegative(),
  cpu: z.number().min(0).max(1),
  cpuInfo: z.object({ model: z.string(), cpus: z.number().int().positive() }),
  loadavg: z.tuple([z.number(), z.number(), z.number()]),
  memory: z.object({ total: z.number(), used: z.number(), free: z.number() }),
  swap: z.object({ total: z.number(), used: z.number(), free: z.number() }),
  dataDir: z.object({ path: z.string(), total: z.number(), used: z.number(), avail: z.number() }),
  kernel: z.string(),
  nodeVersion: z.string(),
  fingerprint: z.string(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
