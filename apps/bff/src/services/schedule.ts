/** Calendar-event validation for API input: INVALID_ARGUMENT naming the field. */
import { AppError } from '@pbs/api-types';
import { verifyCalendarEvent } from '@pbs/tasks';

export function checkScheduleField(field: string, schedule: string | undefined): void {
  if (schedule === undefined) return;
  try {
    verifyCalendarEvent(schedule);
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `${field}: ${(err as Error).message}`, { details: { field } });
  }
}
