/**
 * One section-config file of typed entries (datastore.cfg, prune.cfg, …) with the digest rules
 * of the config store: reads return the digest, writes may require it (STALE_REVISION), and a
 * write that fails validation leaves the file untouched.
 */
import { AppError } from '@pbs/api-types';
import { ConfigFile, sectionConfigCodec, type SectionConfigData } from '@pbs/config';
import { readSection, writeSection, type SectionMapping } from './section-mapping.js';

export interface TypedSnapshot<T> {
  digest: string;
  items: T[];
}

export class TypedSectionConfig<T> {
  private readonly file: ConfigFile<SectionConfigData>;

  constructor(
    path: string,
    private readonly mapping: SectionMapping<T>,
    /** what the entries are called in messages, e.g. 'datastore' */
    private readonly noun: string,
    /** file mode (default 0640, as PBS's replace_backup_config) */
    mode?: number,
  ) {
    this.file = new ConfigFile({ path, codec: sectionConfigCodec, mode });
  }

  private get fileName(): string {
    return this.file.path.split('/').pop() ?? this.file.path;
  }

  private itemsOf(data: SectionConfigData): T[] {
    return data.list(this.mapping.type).map((section) => readSection(this.mapping, section, this.fileName));
  }

  async read(): Promise<TypedSnapshot<T>> {
    const { data, digest } = await this.file.readCached();
    return { digest, items: this.itemsOf(data) };
  }

  async get(id: string): Promise<{ digest: string; item: T }> {
    const { digest, items } = await this.read();
    const item = items.find((entry) => this.idOf(entry) === id);
    if (item === undefined) throw new AppError('NOT_FOUND', `${this.noun} '${id}' does not exist`);
    return { digest, item };
  }

  async find(id: string): Promise<T | undefined> {
    return (await this.read()).items.find((entry) => this.idOf(entry) === id);
  }

  create(item: T, digest?: string): Promise<string> {
    return this.write(digest, (data) => {
      const id = this.idOf(item);
      if (data.get(id) !== undefined)
        throw new AppError('ALREADY_EXISTS', `${this.noun} '${id}' already exists`);
      this.put(data, item);
    });
  }

  /** Applies `change` to the entry and validates the result before anything is written. */
  update(id: string, change: (item: T) => T, digest?: string): Promise<string> {
    return this.write(digest, (data) => {
      const section = data.get(id);
      if (section?.type !== this.mapping.type)
        throw new AppError('NOT_FOUND', `${this.noun} '${id}' does not exist`);
      const next = change(readSection(this.mapping, section, this.fileName));
      const checked = this.mapping.schema.safeParse(next);
      if (!checked.success) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `${this.noun} '${id}': ${checked.error.issues[0]?.message ?? 'invalid'}`,
        );
      }
      this.put(data, checked.data);
    });
  }

  remove(id: string, digest?: string): Promise<string> {
    return this.write(digest, (data) => {
      if (!data.delete(id)) throw new AppError('NOT_FOUND', `${this.noun} '${id}' does not exist`);
    });
  }

  /** Removes every entry matching the predicate (e.g. jobs of a removed datastore). */
  removeWhere(predicate: (item: T) => boolean): Promise<string> {
    return this.write(undefined, (data) => {
      for (const item of this.itemsOf(data).filter(predicate)) data.delete(this.idOf(item));
    });
  }

  private async write(
    digest: string | undefined,
    mutate: (data: SectionConfigData) => void,
  ): Promise<string> {
    const result = await this.file.update(digest, mutate);
    return result.digest;
  }

  private put(data: SectionConfigData, item: T): void {
    data.set(this.mapping.type, this.idOf(item), writeSection(this.mapping, item));
  }

  private idOf(item: T): string {
    return String((item as Record<string, unknown>)[this.mapping.idField]);
  }
}
