/**
 * URLs of the Remotes views: the list (`/config/remotes`) and a remote's scan
 * (`/config/remotes/<name>/scan?store=<store>&ns=<a/b>`), so a scanned datastore or namespace can be
 * bookmarked.
 */
export const REMOTES_PATH = '/config/remotes';

export interface ScanLocation {
  store: string | null;
  ns: string;
}

export function remoteScanPath(name: string, loc: Partial<ScanLocation> = {}): string {
  const params = new URLSearchParams();
  if (loc.store) {
    params.set('store', loc.store);
    if (loc.ns) params.set('ns', loc.ns);
  }
  const search = params.toString();
  return `${REMOTES_PATH}/${encodeURIComponent(name)}/scan${search === '' ? '' : `?${search}`}`;
}

export function readScanLocation(params: URLSearchParams): ScanLocation {
  const store = params.get('store');
  return { store: store === '' ? null : store, ns: store ? (params.get('ns') ?? '') : '' };
}
