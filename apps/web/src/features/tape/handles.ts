import { useEffect } from 'react';
import { serverFieldErrors } from '../../lib/form';

/**
 * The views take their data and their actions as props, so each view is one presentational
 * component and the tRPC wiring lives in the route modules (`*-page.tsx`).
 */
export interface ActionHandle<V, R = unknown> {
  mutate: (variables: V, options?: { onSuccess?: (result: R) => void }) => void;
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

/** A query's state as a view needs it. */
export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  retry: () => void;
}

/** Puts a failed action's per-field messages next to the form's fields; tells whether any landed. */
export function useServerFieldErrors(
  form: { setErrors: (errors: Record<string, string>) => void },
  error: unknown,
  fields: readonly string[],
): boolean {
  const { errors, placed } = serverFieldErrors(error, fields);
  const key = JSON.stringify(errors);
  useEffect(() => {
    if (placed) form.setErrors(JSON.parse(key) as Record<string, string>);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the form object changes every render
  }, [key, placed]);
  return placed;
}
