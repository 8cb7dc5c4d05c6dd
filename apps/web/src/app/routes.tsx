import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AuthGate } from '../features/auth/auth-gate';
import { AppLayout } from './app-layout';
import { NotFoundPage } from './not-found-page';

// Route modules load on demand, so the first paint only needs the shell.
const LoginPage = lazy(() => import('../features/auth/login-page').then((m) => ({ default: m.LoginPage })));
const DashboardPage = lazy(() =>
  import('../features/dashboard/dashboard-page').then((m) => ({ default: m.DashboardPage })),
);
const TaskListPage = lazy(() =>
  import('../features/tasks/task-list-page').then((m) => ({ default: m.TaskListPage })),
);
const TaskPage = lazy(() => import('../features/tasks/task-page').then((m) => ({ default: m.TaskPage })));
const AccessPage = lazy(() =>
  import('../features/access/access-page').then((m) => ({ default: m.AccessPage })),
);
const DatastoreRootLayout = lazy(() =>
  import('../features/datastore/datastore-root-layout').then((m) => ({ default: m.DatastoreRootLayout })),
);
const DatastoreOverview = lazy(() =>
  import('../features/datastore/datastore-overview').then((m) => ({ default: m.DatastoreOverview })),
);
const AddDatastoreRoute = lazy(() =>
  import('../features/datastore/add-datastore-modal').then((m) => ({ default: m.AddDatastoreRoute })),
);
const DatastoreLayout = lazy(() =>
  import('../features/datastore/datastore-layout').then((m) => ({ default: m.DatastoreLayout })),
);
const SummaryTab = lazy(() =>
  import('../features/datastore/summary-tab').then((m) => ({ default: m.SummaryTab })),
);
const OptionsTab = lazy(() =>
  import('../features/datastore/options-tab').then((m) => ({ default: m.OptionsTab })),
);
const PermissionsTab = lazy(() =>
  import('../features/datastore/permissions-tab').then((m) => ({ default: m.PermissionsTab })),
);
const ContentTab = lazy(() =>
  import('../features/content/content-tab').then((m) => ({ default: m.ContentTab })),
);
const BrowsePage = lazy(() =>
  import('../features/browse/browse-page').then((m) => ({ default: m.BrowsePage })),
);
const PruneGcTab = lazy(() =>
  import('../features/jobs/prune-gc-tab').then((m) => ({ default: m.PruneGcTab })),
);
const VerifyJobsTab = lazy(() =>
  import('../features/jobs/verify-jobs-tab').then((m) => ({ default: m.VerifyJobsTab })),
);
const SyncJobsTab = lazy(() =>
  import('../features/sync/sync-jobs-tab').then((m) => ({ default: m.SyncJobsTab })),
);
const RemotesPage = lazy(() =>
  import('../features/remotes/remotes-page').then((m) => ({ default: m.RemotesPage })),
);
const RemoteScanPage = lazy(() =>
  import('../features/remotes/remote-scan-page').then((m) => ({ default: m.RemoteScanPage })),
);

const S3EndpointsPage = lazy(() =>
  import('../features/s3/s3-endpoints-page').then((m) => ({ default: m.S3EndpointsPage })),
);
const TapeLayout = lazy(() =>
  import('../features/tape/tape-layout').then((m) => ({ default: m.TapeLayout })),
);
const TapeContentPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapeContentPage })),
);
const TapeInventoryPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapeInventoryPage })),
);
const TapeChangersPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapeChangersPage })),
);
const TapeDrivesPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapeDrivesPage })),
);
const TapePoolsPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapePoolsPage })),
);
const TapeJobsPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapeJobsPage })),
);
const TapeKeysPage = lazy(() =>
  import('../features/tape/tape-pages').then((m) => ({ default: m.TapeKeysPage })),
);
const TapeRestoreWizard = lazy(() =>
  import('../features/tape/restore-wizard').then((m) => ({ default: m.RestoreWizard })),
);

function PageLoader() {
  return (
    <Center mih="50vh">
      <Loader aria-label="Loading page" />
    </Center>
  );
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoader />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <AuthGate>
              <AppLayout />
            </AuthGate>
          }
        >
          <Route index element={<Navigate to="/dashboard" replace />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="tasks" element={<TaskListPage />} />
          <Route path="tasks/:upid" element={<TaskPage />} />
          <Route path="access" element={<Navigate to="/access/users" replace />} />
          <Route path="access/:tab" element={<AccessPage />} />
          <Route path="config/remotes" element={<RemotesPage />} />
          <Route path="config/remotes/:name/scan" element={<RemoteScanPage />} />
          <Route path="config/s3" element={<S3EndpointsPage />} />
          {/* the datastore root: its static tabs rank before a store's name */}
          <Route path="datastore" element={<DatastoreRootLayout />}>
            <Route index element={<DatastoreOverview />} />
            <Route path="add" element={<AddDatastoreRoute />} />
            <Route path="prune-gc" element={<PruneGcTab />} />
            <Route path="verify" element={<VerifyJobsTab />} />
            <Route path="sync" element={<SyncJobsTab />} />
          </Route>
          <Route path="datastore/:store" element={<DatastoreLayout />}>
            <Route index element={<Navigate to="summary" replace />} />
            <Route path="summary" element={<SummaryTab />} />
            <Route path="content" element={<ContentTab />} />
            <Route path="browse" element={<BrowsePage />} />
            <Route path="prune-gc" element={<PruneGcTab />} />
            <Route path="verify" element={<VerifyJobsTab />} />
            <Route path="sync" element={<SyncJobsTab />} />
            <Route path="options" element={<OptionsTab />} />
            <Route path="permissions" element={<PermissionsTab />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="tape" element={<TapeLayout />}>
            <Route index element={<Navigate to="/tape/content" replace />} />
            <Route path="content" element={<TapeContentPage />} />
            <Route path="inventory" element={<TapeInventoryPage />} />
            <Route path="changers" element={<TapeChangersPage />} />
            <Route path="drives" element={<TapeDrivesPage />} />
            <Route path="pools" element={<TapePoolsPage />} />
            <Route path="jobs" element={<TapeJobsPage />} />
            <Route path="keys" element={<TapeKeysPage />} />
            <Route path="restore" element={<TapeRestoreWizard />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
