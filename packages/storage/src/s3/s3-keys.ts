import { CHUNK_DIR, chunkPrefixOf, parseChunkFileName, type ParsedChunkFileName } from '../chunk-names.js';

/*
 * The object key layout of a datastore in its bucket (pbs-formats §11.2). Every key starts with
 * the datastore name, so a datastore must keep its name to be reused:
 *   <store>/.in-use                              in-use marker {"hostname": …}
 *   <store>/.chunks/<pppp>/<digest>[.<n>.bad]    chunks, byte-identical to local chunk files
 *   <store>/.cnt/<path>                          content files (owner, notes, snapshot files)
 *   <store>/.cnt/<namespace dir>/.namespace      empty namespace marker
 */

export const S3_CONTENT_PREFIX = '.cnt';
export const S3_IN_USE_MARKER = '.in-use';
export const S3_NAMESPACE_MARKER = '.namespace';

export class S3KeyLayout {
  /** `<store>/` */
  readonly storePrefix: string;
  /** `<store>/.chunks/` */
  readonly chunkPrefix: string;
  /** `<store>/.cnt/` */
  readonly contentPrefix: string;

  constructor(readonly store: string) {
    this.storePrefix = `${store}/`;
    this.chunkPrefix = `${store}/${CHUNK_DIR}/`;
    this.contentPrefix = `${store}/${S3_CONTENT_PREFIX}/`;
  }

  get inUseMarker(): string {
    return `${this.storePrefix}${S3_IN_USE_MARKER}`;
  }

  /** key of a chunk file name (validated by the caller) */
  chunk(name: string): string {
    return `${this.chunkPrefix}${chunkPrefixOf(name)}/${name}`;
  }

  /** key of a content path (validated by the caller) */
  content(path: string): string {
    return `${this.contentPrefix}${path}`;
  }

  namespaceMarker(dir: string): string {
    return `${this.contentPrefix}${dir}/${S3_NAMESPACE_MARKER}`;
  }

  /** The chunk file behind a key below `<store>/.chunks/`, or undefined for anything else. */
  parseChunkKey(key: string): (ParsedChunkFileName & { name: string }) | undefined {
    if (!key.startsWith(this.chunkPrefix)) return undefined;
    const rest = key.slice(this.chunkPrefix.length);
    const slash = rest.indexOf('/');
    const name = rest.slice(slash + 1);
    if (slash !== 4 || rest.slice(0, 4) !== chunkPrefixOf(name)) return undefined;
    const parsed = parseChunkFileName(name);
    return parsed && parsed.kind !== 'using' ? { ...parsed, name } : undefined;
  }

  /** The content path behind a key below `<store>/.cnt/`, or undefined. */
  parseContentKey(key: string): string | undefined {
    return key.startsWith(this.contentPrefix) ? key.slice(this.contentPrefix.length) : undefined;
  }
}
