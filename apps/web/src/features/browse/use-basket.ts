/**
 * The restore basket of one snapshot: files and folders of one pxar archive, downloaded as one
 * streamed .zip or .tar.zst. Kept in sessionStorage per snapshot, so it survives a reload and
 * moving around the snapshot's folders.
 */
import { useEffect, useState } from 'react';
import type { BrowseEntry } from '@pbs/api-types';
import { archiveOf } from './entry-types';

export interface BasketItem {
  /** '<archive>/<path>' */
  path: string;
  type: BrowseEntry['type'];
  size?: number;
}

export interface Basket {
  items: readonly BasketItem[];
  /** the archive the basket holds entries of (one download reads one archive), or null */
  archive: string | null;
  has(path: string): boolean;
  /** the folder in the basket that already holds this path, if any */
  coveredBy(path: string): string | null;
  add(entry: BasketItem): void;
  remove(path: string): void;
  clear(): void;
}

function load(key: string): BasketItem[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (i): i is BasketItem =>
        typeof i === 'object' && i !== null && typeof (i as BasketItem).path === 'string',
    );
  } catch {
    return [];
  }
}

const isBelow = (path: string, folder: string) => path.startsWith(`${folder}/`);

export function useBasket(storageKey: string): Basket {
  const [items, setItems] = useState<BasketItem[]>(() => load(storageKey));
  useEffect(() => {
    try {
      if (items.length === 0) sessionStorage.removeItem(storageKey);
      else sessionStorage.setItem(storageKey, JSON.stringify(items));
    } catch {
      // private mode or a full storage: the basket just does not survive a reload
    }
  }, [storageKey, items]);

  const first = items[0];
  return {
    items,
    archive: first === undefined ? null : archiveOf(first.path),
    has: (path) => items.some((i) => i.path === path),
    coveredBy: (path) => items.find((i) => i.type === 'd' && isBelow(path, i.path))?.path ?? null,
    add: (entry) =>
      setItems((current) => {
        if (current.some((i) => i.path === entry.path)) return current;
        // a folder takes in whatever of its contents was picked before
        const rest = entry.type === 'd' ? current.filter((i) => !isBelow(i.path, entry.path)) : current;
        return [...rest, entry].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      }),
    remove: (path) => setItems((current) => current.filter((i) => i.path !== path)),
    clear: () => setItems([]),
  };
}
