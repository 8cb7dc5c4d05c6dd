/**
 * @pbs/storage/testing: the contract every StorageBackend implementation must pass. Test files
 * only: it imports vitest.
 *
 *   describeStorageBackendContract('LocalFsBackend', async ({ clock }) => ({ backend, cleanup }));
 *
 * Also a real S3-protocol server for tests (`startS3Server`: s3rver in its own process over
 * TLS, pinned by fingerprint) and a fault-injecting proxy in front of it (`startFaultProxy`);
 * these two do not import vitest and may be used by fixtures (bff tests, e2e).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeChunkContract } from './chunk-contract.js';
import { describeContentContract } from './content-contract.js';
import {
  expectAppError,
  ManualClock,
  T0,
  type BackendUnderTest,
  type ContractContext,
  type MakeBackend,
} from './contract-context.js';

export { ManualClock, type MakeBackend, type BackendUnderTest } from './contract-context.js';
export { makeScratchDir } from './scratch-dir.js';
export { startS3Server, type S3TestServer, type StartS3ServerOptions } from './s3-server.js';
export { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
export { makeSdkClient, listKeysWithSdk, type SdkClient } from './raw-sdk.js';

function describeLayoutContract(ctx: () => ContractContext): void {
  describe('chunk store layout', () => {
    it('is absent until created, then checked; a second create is refused unless existingOk', async () => {
      const { backend } = ctx();
      await expectAppError(backend.checkChunkStore(), 'NOT_FOUND');
      const progress: number[] = [];
      await backend.initChunkStore({ onProgress: (f) => progress.push(f) });
      await backend.checkChunkStore();
      expect(progress.at(-1)).toBe(1);
      await expectAppError(backend.initChunkStore(), 'ALREADY_EXISTS');
      await backend.initChunkStore({ existingOk: true });
      await backend.checkChunkStore();
    }, 120_000);
  });
}

/**
 * Registers the storage port contract for one implementation. `makeBackend` is called before
 * every test and must return a backend over a new, empty location that takes its times from
 * the given clock.
 */
export function describeStorageBackendContract(name: string, makeBackend: MakeBackend): void {
  describe(`StorageBackend contract: ${name}`, () => {
    let current: (ContractContext & BackendUnderTest) | undefined;

    beforeEach(async () => {
      const clock = new ManualClock(T0);
      current = { clock, ...(await makeBackend({ clock })) };
    });

    afterEach(async () => {
      await current?.cleanup?.();
      current = undefined;
    });

    const ctx = (): ContractContext => {
      if (!current) throw new Error('contract context used outside a test');
      return current;
    };

    it('declares its capabilities and names itself', () => {
      const { backend } = ctx();
      expect(backend.name.length).toBeGreaterThan(0);
      expect(Object.keys(backend.capabilities).sort()).toEqual(
        ['accessTimes', 'atomicReplace', 'cheapRename', 'consistentListing', 'local'].sort(),
      );
    });

    describeChunkContract(ctx);
    describeContentContract(ctx);
    describeLayoutContract(ctx);
  });
}
