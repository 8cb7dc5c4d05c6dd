import { Badge, Button, Text } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { taskListPath } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';

/** The header's task button: how many tasks run now (polled every 5 s); opens the running list. */
export function RunningTasksButton() {
  const trpc = useTRPC();
  const running = useQuery(
    trpc.task.list.queryOptions({ running: true, limit: 100 }, { refetchInterval: 5000, staleTime: 0 }),
  );
  const count = running.data?.total ?? 0;
  return (
    <Button
      component={Link}
      to={taskListPath({ running: true })}
      variant="subtle"
      color="gray"
      px="xs"
      aria-label={`Running tasks: ${count}`}
      leftSection={<IconListDetails size={18} />}
      rightSection={
        <Badge
          size="sm"
          circle={count < 10}
          color={count > 0 ? 'blue' : 'gray'}
          variant={count > 0 ? 'filled' : 'light'}
        >
          {count}
        </Badge>
      }
    >
      <Text span inherit visibleFrom="sm">
        Tasks
      </Text>
    </Button>
  );
}
