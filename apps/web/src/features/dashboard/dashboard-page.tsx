import { SimpleGrid, Stack } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useSession } from '../../lib/use-session';
import { DatastoreUsageCard } from './datastore-usage-card';
import { NodeStatusCard } from './node-status-card';
import { RunningTasksCard } from './running-tasks-card';
import { SUMMARY_DAYS, TaskSummaryCard, type SummaryDays } from './task-summary-card';

/** /dashboard: server health (with Sys.Audit), datastore usage, running tasks and the task summary; cards stack on phones. */
export function DashboardPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const days: SummaryDays = SUMMARY_DAYS.find((d) => d === params.get('days')) ?? '30';
  const seesHealth = session.can('/system/status', 'Sys.Audit');
  const seesDatastores = session.canBelow(
    '/datastore',
    'Datastore.Audit',
    'Datastore.Backup',
    'Datastore.Allocate',
  );
  return (
    <Stack>
      <PageHeader title="Dashboard" />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {(seesHealth || seesDatastores) && (
          <Stack>
            {seesHealth && <NodeStatusCard />}
            {seesDatastores && <DatastoreUsageCard />}
          </Stack>
        )}
        <Stack>
          <RunningTasksCard />
          <TaskSummaryCard
            days={days}
            onDaysChange={(d) => setParams(d === '30' ? {} : { days: d }, { replace: true })}
          />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
