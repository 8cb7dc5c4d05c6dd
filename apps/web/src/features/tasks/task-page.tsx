import { Anchor, Button, Paper, Skeleton, Stack, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { TaskProgress as Progress_ } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { upidFromParam } from '../../lib/task-search';
import { useTRPC } from '../../lib/trpc';
import { FinishedTaskLog } from './finished-task-log';
import { LiveTaskLog } from './live-task-log';
import { StopTaskButton } from './stop-task-button';
import { TaskDetails } from './task-details';
import { TaskProgress } from './task-progress';

function logDownloadUrl(upid: string): string {
  return `/api2/json/nodes/localhost/tasks/${encodeURIComponent(upid)}/log?download=1`;
}

/** /tasks/:upid — a bookmarkable task: status, progress, and its log, live while it runs. */
export function TaskPage() {
  const trpc = useTRPC();
  const upid = upidFromParam(useParams().upid);
  const task = useQuery(
    trpc.task.get.queryOptions(
      { upid },
      { refetchInterval: (query) => (query.state.data?.state === 'running' ? 5000 : false) },
    ),
  );
  const [liveProgress, setLiveProgress] = useState<Progress_ | null>(null);
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  const running = task.data?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  if (task.isPending) return <Skeleton h={320} />;
  if (task.isError) {
    return (
      <Stack>
        <PageHeader title="Task" />
        <ErrorAlert error={task.error} onRetry={() => void task.refetch()} />
        <Anchor component={Link} to="/tasks">
          Back to the task list
        </Anchor>
      </Stack>
    );
  }
  const data = task.data;
  const title = data.worker_id === null ? data.worker_type : `${data.worker_type} ${data.worker_id}`;
  const progress = running ? (liveProgress ?? data.progress) : data.progress;

  return (
    <Stack>
      <PageHeader
        title={title}
        description={
          <Anchor component={Link} to="/tasks" size="sm">
            All tasks
          </Anchor>
        }
        actions={
          <>
            {running && <StopTaskButton upid={upid} title={title} />}
            <Button
              component="a"
              href={logDownloadUrl(upid)}
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              Download log
            </Button>
          </>
        }
      />
      <TaskDetails task={data} now={now} />
      {progress !== null && (
        <Paper withBorder p="md">
          <TaskProgress progress={progress} running={running} />
        </Paper>
      )}
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={4}>Log</Title>
          {running ? (
            <LiveTaskLog key={upid} upid={upid} onProgress={setLiveProgress} />
          ) : (
            <FinishedTaskLog upid={upid} />
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
