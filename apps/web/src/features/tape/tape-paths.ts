/**
 * URLs of the Tape Backup views: one per tab, and the restore wizard whose media set and
 * snapshots ride in the search parameters, so a "Restore" link from Content is bookmarkable.
 */
export const TAPE_TABS = ['content', 'inventory', 'changers', 'drives', 'pools', 'jobs', 'keys'] as const;
export type TapeTab = (typeof TAPE_TABS)[number];

export const TAPE_TAB_LABELS: Record<TapeTab, string> = {
  content: 'Content',
  inventory: 'Inventory',
  changers: 'Changers',
  drives: 'Drives',
  pools: 'Media Pools',
  jobs: 'Backup Jobs',
  keys: 'Encryption Keys',
};

export function tapePath(tab: TapeTab): string {
  return `/tape/${tab}`;
}

export const TAPE_RESTORE_PATH = '/tape/restore';

/** The restore wizard, preset to a media set and (optionally) some of its snapshots. */
export function tapeRestorePath(mediaSet?: string, snapshots: readonly string[] = []): string {
  const params = new URLSearchParams();
  if (mediaSet !== undefined) params.set('media-set', mediaSet);
  for (const snapshot of snapshots) params.append('snapshot', snapshot);
  const search = params.toString();
  return search === '' ? TAPE_RESTORE_PATH : `${TAPE_RESTORE_PATH}?${search}`;
}

export function readRestoreParams(params: URLSearchParams): { mediaSet: string | null; snapshots: string[] } {
  return { mediaSet: params.get('media-set'), snapshots: params.getAll('snapshot') };
}

/** A changer's slot grid on the Changers view. */
export function changerPath(name: string): string {
  return `/tape/changers?changer=${encodeURIComponent(name)}`;
}
