/**
 * Long operations (GC, verify, prune, …) return a task id at once; the UI never waits for them.
 * This notification says the task started and links to its page (or, for many tasks, to the
 * filtered task list). It renders outside the router, so the link navigates through the
 * caller's `navigate`.
 */
import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { taskPath } from './task-search';

export interface TaskNotice {
  (title: string, taskId: string): void;
  /** several tasks: link to a task list instead */
  many: (title: string, listPath: string) => void;
}

export function useTaskNotice(): TaskNotice {
  const navigate = useNavigate();
  const show = (id: string, title: string, path: string, linkLabel: string) => {
    notifications.show({
      id,
      color: 'blue',
      title,
      autoClose: 10_000,
      message: (
        <Text size="sm" component="span">
          The task runs in the background.{' '}
          <Anchor
            href={path}
            size="sm"
            onClick={(event) => {
              event.preventDefault();
              notifications.hide(id);
              void navigate(path);
            }}
          >
            {linkLabel}
          </Anchor>
        </Text>
      ),
    });
  };
  return Object.assign(
    (title: string, taskId: string) => show(`task-${taskId}`, title, taskPath(taskId), 'Open task'),
    {
      many: (title: string, listPath: string) =>
        show(`tasks-${listPath}-${title}`, title, listPath, 'Show tasks'),
    },
  );
}
