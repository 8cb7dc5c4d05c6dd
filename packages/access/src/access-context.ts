import path from 'node:path';
import { ConfigFile } from '@pbs/config';
import { aclConfigCodec } from './acl-format.js';
import type { AclTree } from './acl-tree.js';
import type { AuthKeys } from './auth-keys.js';
import { jsonMapCodec, type SecretMap } from './json-map-codec.js';
import type { LoginThrottle } from './login-throttle.js';
import { userConfigCodec, type UserConfig } from './user-config.js';

/** Everything the access operations share: the files of etc/, keys, clock and throttle state. */
export interface AccessContext {
  users: ConfigFile<UserConfig>;
  acl: ConfigFile<AclTree>;
  shadow: ConfigFile<SecretMap>;
  tokenShadow: ConfigFile<SecretMap>;
  keys: AuthKeys;
  nowSec: () => number;
  ticketLifetimeSec: number;
  throttle: LoginThrottle;
  /** token.shadow snapshot → tokenid → sha256 of a secret already verified against it */
  verifiedTokens: WeakMap<object, Map<string, Buffer>>;
}

/** The config files, with PBS's file names, lock names and modes. */
export function accessFiles(etcDir: string): Pick<AccessContext, 'users' | 'acl' | 'shadow' | 'tokenShadow'> {
  const at = (name: string) => path.join(etcDir, name);
  return {
    users: new ConfigFile({ path: at('user.cfg'), codec: userConfigCodec, lockPath: at('.user.lck') }),
    acl: new ConfigFile({ path: at('acl.cfg'), codec: aclConfigCodec, lockPath: at('.acl.lck') }),
    shadow: new ConfigFile({
      path: at('shadow.json'),
      codec: jsonMapCodec(true),
      lockPath: at('shadow.json.lock'),
      mode: 0o600,
    }),
    tokenShadow: new ConfigFile({
      path: at('token.shadow'),
      codec: jsonMapCodec(false),
      lockPath: at('token.shadow.lock'),
      mode: 0o600,
    }),
  };
}
