import { AppError } from '@pbs/api-types/errors';
import { CHUNK_DIR } from './chunk-names.js';

/*
 * Content paths are relative, '/'-separated and normalised, so that a local store can join them
 * to its base and an object store can append them to `<store>/.cnt/` without either one being
 * able to escape the datastore. Chunk files are reachable only through the chunk API.
 */

function invalid(storage: string, path: string, why: string): AppError {
  return new AppError('INVALID_ARGUMENT', `storage '${storage}': invalid path '${path}': ${why}`, {
    details: { path },
  });
}

/**
 * Returns the path's components; `''` (the datastore root) is allowed only with `allowRoot`.
 * Rejects absolute paths, empty, `.` and `..` components, NUL bytes and anything under `.chunks`.
 */
export function contentPathComponents(path: string, storage: string, allowRoot = false): string[] {
  if (path === '') {
    if (allowRoot) return [];
    throw invalid(storage, path, 'empty path');
  }
  if (path.includes('\0')) throw invalid(storage, path, 'contains a NUL byte');
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') {
      throw invalid(storage, path, 'must be relative, without empty, "." or ".." components');
    }
  }
  if (parts[0] === CHUNK_DIR) throw invalid(storage, path, 'chunk files go through the chunk API');
  return parts;
}

/**
 * True for datastore-local state that an object store keeps only in its local cache: top-level
 * dot files such as `.gc-status` and `.lock` (PBS never uploads them).
 */
export function isLocalStateFile(path: string): boolean {
  return path.startsWith('.') && !path.includes('/');
}

/**
 * True for a namespace directory (`ns/a`, `ns/a/ns/b`): the only directories an object store
 * persists on their own (as `<dir>/.namespace` markers, pbs-formats §11.2).
 */
export function isNamespaceDir(path: string): boolean {
  const parts = path.split('/');
  if (parts.length % 2 !== 0 || parts.length === 0) return false;
  return parts.every((part, i) => (i % 2 === 0 ? part === 'ns' : part.length > 0));
}
