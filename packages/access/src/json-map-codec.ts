import { AppError } from '@pbs/api-types/errors';
import type { ConfigCodec } from '@pbs/config';

/*
 * shadow.json and token.shadow: one JSON object mapping an id to a hashed secret. PBS writes
 * shadow.json pretty-printed and token.shadow compact; errors never quote the content.
 */

export type SecretMap = Map<string, string>;

export function jsonMapCodec(pretty: boolean): ConfigCodec<SecretMap> {
  return {
    parse(text, fileName) {
      if (text.trim() === '') return new Map();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      const valid =
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === 'string');
      if (!valid) {
        throw new AppError('CORRUPT_DATA', `config file '${fileName}': expected a JSON object of strings`, {
          details: { file: fileName },
        });
      }
      return new Map(Object.entries(value as Record<string, string>));
    },
    format: (map) => JSON.stringify(Object.fromEntries(map), null, pretty ? 2 : undefined),
  };
}
