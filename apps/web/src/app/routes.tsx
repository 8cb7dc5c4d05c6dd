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
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
