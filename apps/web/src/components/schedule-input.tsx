import { Autocomplete, type AutocompleteProps } from '@mantine/core';

/** Calendar events PBS admins use most; any other event can be typed. */
const SUGGESTIONS = [
  'daily',
  'hourly',
  'weekly',
  'monthly',
  '*:0/30',
  '02:30',
  'sat 18:15',
  'mon..fri 21:00',
];

/** A calendar-event schedule (systemd-like, as PBS); the server checks the grammar. */
export function ScheduleInput(props: AutocompleteProps) {
  return (
    <Autocomplete
      data={SUGGESTIONS}
      description="A calendar event, e.g. daily, hourly, sat 18:15 or *:0/30"
      {...props}
    />
  );
}
