import { TOKEN_ID_REGEX, USER_ID_REGEX } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';
import {
  SectionConfigData,
  formatSectionConfig,
  parseSectionConfig,
  sectionProperty,
  type ConfigCodec,
  type Section,
} from '@pbs/config';

/*
 * user.cfg as pbs-config/src/user.rs keeps it: sections `user: <userid>` and
 * `token: <userid>!<name>`, keys written in sorted order (PBS serializes through a sorted map).
 * `enable` defaults to true and `expire` to 0 (never) when absent.
 */

export interface UserRecord {
  userid: string;
  comment?: string;
  enable?: boolean;
  expire?: number;
  firstname?: string;
  lastname?: string;
  email?: string;
}

export interface TokenRecord {
  tokenid: string;
  comment?: string;
  enable?: boolean;
  expire?: number;
}

const USER_TEXT_FIELDS = ['comment', 'firstname', 'lastname', 'email'] as const;

function corrupt(file: string, message: string): AppError {
  return new AppError('CORRUPT_DATA', `config file '${file}': ${message}`, { details: { file } });
}

/** proxmox-schema's boolean spellings */
function parseBool(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  return undefined;
}

function readCommon(section: Section, file: string): { enable?: boolean; expire?: number; comment?: string } {
  const out: { enable?: boolean; expire?: number; comment?: string } = {};
  const enable = sectionProperty(section, 'enable');
  if (enable !== undefined) {
    out.enable = parseBool(enable);
    if (out.enable === undefined)
      throw corrupt(file, `${section.type} '${section.id}': invalid enable '${enable}'`);
  }
  const expire = sectionProperty(section, 'expire');
  if (expire !== undefined) {
    if (!/^\d+$/.test(expire))
      throw corrupt(file, `${section.type} '${section.id}': invalid expire '${expire}'`);
    out.expire = Number(expire);
  }
  const comment = sectionProperty(section, 'comment');
  if (comment !== undefined) out.comment = comment;
  return out;
}

function toUser(section: Section, file: string): UserRecord {
  const user: UserRecord = { userid: section.id, ...readCommon(section, file) };
  for (const key of USER_TEXT_FIELDS) {
    const value = sectionProperty(section, key);
    if (value !== undefined) user[key] = value;
  }
  return user;
}

function toToken(section: Section, file: string): TokenRecord {
  return { tokenid: section.id, ...readCommon(section, file) };
}

function sortedProperties(record: object, idKey: string): Array<[string, string]> {
  return Object.entries(record)
    .filter(([key, value]) => key !== idKey && value !== undefined)
    .map(([key, value]): [string, string] => [key, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Typed view over user.cfg; like PBS, only `user` and `token` sections are valid. */
export class UserConfig {
  constructor(
    readonly data: SectionConfigData = new SectionConfigData(),
    private readonly file = 'user.cfg',
  ) {}

  users(): UserRecord[] {
    return this.data.list('user').map((s) => toUser(s, this.file));
  }

  tokens(userid?: string): TokenRecord[] {
    const all = this.data.list('token').map((s) => toToken(s, this.file));
    return userid === undefined ? all : all.filter((t) => t.tokenid.startsWith(`${userid}!`));
  }

  user(userid: string): UserRecord | undefined {
    const section = this.data.get(userid);
    return section?.type === 'user' ? toUser(section, this.file) : undefined;
  }

  token(tokenid: string): TokenRecord | undefined {
    const section = this.data.get(tokenid);
    return section?.type === 'token' ? toToken(section, this.file) : undefined;
  }

  putUser(user: UserRecord): void {
    this.data.set('user', user.userid, sortedProperties(user, 'userid'));
  }

  putToken(token: TokenRecord): void {
    this.data.set('token', token.tokenid, sortedProperties(token, 'tokenid'));
  }

  remove(id: string): boolean {
    return this.data.delete(id);
  }

  /** Checks ids and values once, so later typed reads cannot fail. */
  validate(): void {
    for (const section of this.data.sections) {
      const regex =
        section.type === 'user' ? USER_ID_REGEX : section.type === 'token' ? TOKEN_ID_REGEX : undefined;
      if (regex === undefined) throw corrupt(this.file, `unknown section type '${section.type}'`);
      if (!regex.test(section.id)) throw corrupt(this.file, `invalid ${section.type} id '${section.id}'`);
    }
    this.users();
    this.tokens();
  }
}

/** The entries of `fields` that are set: patches apply only those. */
export function definedFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Whether an account with these settings may act now (PBS is_active). */
export function isActive(record: { enable?: boolean; expire?: number }, nowSec: number): boolean {
  if (record.enable === false) return false;
  const expire = record.expire ?? 0;
  return expire === 0 || expire > nowSec;
}

export const userConfigCodec: ConfigCodec<UserConfig> = {
  parse(text, fileName) {
    const config = new UserConfig(parseSectionConfig(text, fileName), fileName);
    config.validate();
    return config;
  },
  format: (config) => formatSectionConfig(config.data),
};
