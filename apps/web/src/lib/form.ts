/**
 * Forms: @mantine/form validated by zod schemas through Mantine's Standard Schema resolver,
 * and server-side field errors put next to the field that caused them.
 */
import { schemaResolver, type FormErrors } from '@mantine/form';
import type { z } from 'zod';
import { fieldErrors, toAppError } from './errors';

/** Any Standard Schema (zod 4 schemas are). */
type Schema = Parameters<typeof schemaResolver>[0];

export function zodValidate(schema: Schema) {
  return schemaResolver(schema, { sync: true });
}

/**
 * The server's per-field messages, renamed to the form's fields (`rename` maps a server field
 * to a form field); `placed` tells whether any error landed on a field.
 */
export function serverFieldErrors(
  err: unknown,
  formFields: readonly string[],
  rename: Record<string, string> = {},
): { errors: Record<string, string>; placed: boolean } {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors(err))) {
    const target = rename[field] ?? field;
    if (formFields.includes(target)) errors[target] = message;
  }
  return { errors, placed: Object.keys(errors).length > 0 };
}

/**
 * A create/edit dialog's server errors: field errors on their fields, and an ALREADY_EXISTS that
 * names no field on the dialog's name field (`idField`). `placed` is false only when the dialog
 * has to show the error on its own.
 */
export function serverDialogErrors(
  err: unknown,
  formFields: readonly string[],
  idField: string,
  rename: Record<string, string> = {},
): { errors: Record<string, string>; placed: boolean } {
  const result = serverFieldErrors(err, formFields, rename);
  if (result.placed || toAppError(err).code !== 'ALREADY_EXISTS') return result;
  return { errors: { [idField]: toAppError(err).message }, placed: true };
}

/**
 * Validates form values by converting them to the procedure's input and running the api-types
 * schema on it, so the form rejects exactly what the server would. Issues land on the form
 * field named like the input property, or on `rename[property]` (nested properties by their
 * dotted path, e.g. 'tuning.gcAtimeCutoff'); `extra` adds form-only checks
 * (a repeated password).
 */
export function validateAsInput<V>(
  schema: z.ZodType,
  toInput: (values: V) => unknown,
  rename: Record<string, string> = {},
  extra?: (values: V) => Record<string, string | null>,
): (values: V) => FormErrors {
  return (values) => {
    const errors: FormErrors = {};
    const result = schema.safeParse(toInput(values));
    if (!result.success) {
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? '');
        const full = issue.path.map(String).join('.');
        const field = rename[full] ?? rename[key] ?? key;
        if (errors[field] === undefined) errors[field] = issue.message;
      }
    }
    for (const [field, message] of Object.entries(extra?.(values) ?? {})) {
      if (message !== null && errors[field] === undefined) errors[field] = message;
    }
    return errors;
  };
}
