import { Button, Group, MultiSelect, Switch, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff } from '@tabler/icons-react';
import { useState } from 'react';
import { isEndState, TASK_END_STATES, type TaskFilters } from '../../lib/task-search';

export interface TaskFilterBarProps {
  filters: TaskFilters;
  /** a change of any filter; the page goes back to 1 */
  onChange: (patch: Partial<TaskFilters>) => void;
  onClear: () => void;
}

const STATUS_OPTIONS = TASK_END_STATES.map((s) => ({ value: s, label: s }));

/** A text filter that types locally and commits to the URL after a pause. */
function TextFilter(props: {
  label: string;
  value: string;
  placeholder: string;
  onCommit: (value: string) => void;
}) {
  const { label, value, placeholder, onCommit } = props;
  const [text, setText] = useState(value);
  const [committed, setCommitted] = useState(value);
  if (value !== committed) {
    // the URL changed from outside (clear, back button): follow it
    setCommitted(value);
    setText(value);
  }
  const commit = useDebouncedCallback((next: string) => {
    setCommitted(next);
    onCommit(next);
  }, 400);
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      w={{ base: '100%', xs: 160 }}
    />
  );
}

export function TaskFilterBar({ filters, onChange, onClear }: TaskFilterBarProps) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Switch
        label="Running only"
        checked={filters.running}
        onChange={(event) => onChange({ running: event.currentTarget.checked })}
        mb={8}
      />
      <TextFilter
        label="Type"
        placeholder="e.g. garbage_collection"
        value={filters.type}
        onCommit={(type) => onChange({ type })}
      />
      <MultiSelect
        label="Status"
        placeholder={filters.status.length === 0 ? 'any' : undefined}
        data={STATUS_OPTIONS}
        value={filters.status}
        onChange={(status) => onChange({ status: status.filter(isEndState) })}
        disabled={filters.running}
        clearable
        w={{ base: '100%', xs: 220 }}
      />
      <TextFilter
        label="User"
        placeholder="e.g. admin@pbs"
        value={filters.user}
        onCommit={(user) => onChange({ user })}
      />
      <TextFilter
        label="Datastore"
        placeholder="e.g. store1"
        value={filters.store}
        onCommit={(store) => onChange({ store })}
      />
      <DateInput
        label="Since"
        placeholder="any time"
        value={filters.since}
        onChange={(since) => onChange({ since })}
        valueFormat="YYYY-MM-DD"
        clearable
        w={{ base: '100%', xs: 150 }}
      />
      <DateInput
        label="Until"
        placeholder="now"
        value={filters.until}
        onChange={(until) => onChange({ until })}
        valueFormat="YYYY-MM-DD"
        clearable
        w={{ base: '100%', xs: 150 }}
      />
      <Button variant="default" leftSection={<IconFilterOff size={16} />} onClick={onClear}>
        Clear filters
      </Button>
    </Group>
  );
}
