import {
  ActionIcon,
  Autocomplete,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { BACKUP_TYPES, type GroupFilterKind, type GroupItem } from '@pbs/api-types';
import { passes, type FilterRow } from './group-filters';

export interface GroupFilterBuilderProps {
  rows: FilterRow[];
  onChange: (rows: FilterRow[]) => void;
  /** the row's validation message, by index */
  errors: Record<number, string | undefined>;
  /** the source's groups (from a scan), for the group picker and the preview; null: unknown */
  groups: GroupItem[] | null;
  groupsLoading: boolean;
}

const MODES = [
  { value: 'include', label: 'include' },
  { value: 'exclude', label: 'exclude' },
];
const KINDS: { value: GroupFilterKind; label: string }[] = [
  { value: 'type', label: 'type' },
  { value: 'group', label: 'group' },
  { value: 'regex', label: 'regex' },
];

/**
 * The group filter as a list of rows (include or exclude; by type, group or regex) and a
 * preview of the groups the job would transfer.
 */
export function GroupFilterBuilder({
  rows,
  onChange,
  errors,
  groups,
  groupsLoading,
}: GroupFilterBuilderProps) {
  const set = (index: number, patch: Partial<FilterRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const groupNames = (groups ?? []).map((g) => `${g.type}/${g.id}`);
  const passing = (groups ?? []).filter((g) => passes(rows, g));
  return (
    <Stack gap="xs" role="group" aria-label="Group filter">
      <Text size="sm" c="dimmed">
        Without include filters every group is synced; exclude filters then take groups out. Regular
        expressions search in &quot;type/id&quot;, e.g. ^vm/1\d\d$.
      </Text>
      {rows.length === 0 && (
        <Text size="sm" fs="italic">
          No filter: all groups.
        </Text>
      )}
      {rows.map((row, index) => {
        const n = index + 1;
        const valueProps = {
          'aria-label': `Filter ${n} value`,
          error: errors[index],
          value: row.value,
          style: { flex: 1 },
        };
        return (
          <Group key={index} align="flex-start" wrap="nowrap" gap="xs">
            <Select
              aria-label={`Filter ${n} mode`}
              data={MODES}
              value={row.exclude ? 'exclude' : 'include'}
              onChange={(value) => set(index, { exclude: value === 'exclude' })}
              allowDeselect={false}
              w={110}
            />
            <Select
              aria-label={`Filter ${n} kind`}
              data={KINDS}
              value={row.kind}
              onChange={(value) => {
                const kind = KINDS.find((k) => k.value === value)?.value;
                if (kind !== undefined) set(index, { kind, value: kind === 'type' ? 'vm' : '' });
              }}
              allowDeselect={false}
              w={100}
            />
            {row.kind === 'type' && (
              <Select
                {...valueProps}
                data={[...BACKUP_TYPES]}
                allowDeselect={false}
                onChange={(value) => set(index, { value: value ?? 'vm' })}
              />
            )}
            {row.kind === 'group' && (
              <Autocomplete
                {...valueProps}
                placeholder="vm/100"
                data={groupNames}
                onChange={(value) => set(index, { value })}
              />
            )}
            {row.kind === 'regex' && (
              <TextInput
                {...valueProps}
                placeholder="^vm/1\d\d$"
                onChange={(event) => set(index, { value: event.currentTarget.value })}
              />
            )}
            <Tooltip label={`Remove filter ${n}`} withArrow>
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                aria-label={`Remove filter ${n}`}
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        );
      })}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...rows, { exclude: false, kind: 'group', value: '' }])}
        >
          Add filter
        </Button>
      </Group>
      <Stack gap={4} component="section" aria-label="Filter preview">
        <Text size="sm" fw={500}>
          Preview
        </Text>
        {groupsLoading && (
          <Text size="sm" c="dimmed">
            Scanning the source…
          </Text>
        )}
        {!groupsLoading && groups === null && (
          <Text size="sm" c="dimmed">
            Choose the source datastore to preview which groups pass.
          </Text>
        )}
        {groups !== null && (
          <>
            <Text size="sm">{`${passing.length} of ${groups.length} groups in the source namespace are synced`}</Text>
            <Group gap={4}>
              {groups.map((g) => {
                const name = `${g.type}/${g.id}`;
                const on = passing.includes(g);
                return (
                  <Badge
                    key={name}
                    variant={on ? 'filled' : 'outline'}
                    color={on ? 'blue' : 'gray'}
                    tt="none"
                    aria-label={`${name}: ${on ? 'synced' : 'skipped'}`}
                  >
                    {name}
                  </Badge>
                );
              })}
            </Group>
          </>
        )}
      </Stack>
    </Stack>
  );
}
