import { Anchor, Button, Code, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconFolderSearch, IconPlugConnected, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Remote } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { CopyAction } from '../../components/copy-action';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { RowActions, type RowAction } from '../../components/row-actions';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { RemoteFormModal } from './remote-form-modal';
import { remoteScanPath } from './remote-paths';
import { TestConnectionModal } from './test-connection-modal';

const remoteAcl = (name: string) => `/remote/${name}`;

/** /config/remotes: the other servers this one pulls from or pushes to (remote.cfg). */
export function RemotesPage() {
  const trpc = useTRPC();
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.remote.list.queryOptions(undefined, { refetchInterval: 30_000 }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.remote.pathKey() });
  const [editing, setEditing] = useState<Remote | 'new' | null>(null);
  const [removing, setRemoving] = useState<Remote | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const remove = useMutation(
    trpc.remote.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        setRemoving(null);
        await invalidate();
      },
    }),
  );
  const mayAdd = session.can('/remote', 'Remote.Modify');
  const mayModify = (r: Remote) => session.can(remoteAcl(r.name), 'Remote.Modify');

  const columns: Column<Remote>[] = [
    {
      key: 'name',
      header: 'Remote ID',
      render: (r) => (
        <Anchor component={Link} to={remoteScanPath(r.name)} size="sm">
          {r.name}
        </Anchor>
      ),
    },
    { key: 'host', header: 'Host', render: (r) => r.host },
    { key: 'port', header: 'Port', width: 80, render: (r) => r.port ?? 8007 },
    { key: 'authId', header: 'Auth ID', render: (r) => r.authId },
    {
      key: 'fingerprint',
      header: 'Fingerprint',
      width: 290,
      render: (r) =>
        r.fingerprint === undefined ? (
          <Text size="sm" c="dimmed">
            none (trusted CA)
          </Text>
        ) : (
          <Group gap={4} wrap="nowrap">
            <Code title={r.fingerprint} style={{ fontSize: 11 }}>
              {`${r.fingerprint.slice(0, 23)}…`}
            </Code>
            <CopyAction value={r.fingerprint} label={`fingerprint of remote ${r.name}`} />
          </Group>
        ),
    },
    { key: 'comment', header: 'Comment', render: (r) => r.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 170,
      render: (r) => {
        const actions: RowAction[] = [
          {
            label: `Test connection to remote ${r.name}`,
            icon: <IconPlugConnected size={16} />,
            onClick: () => setTesting(r.name),
          },
          {
            label: `Scan remote ${r.name}`,
            icon: <IconFolderSearch size={16} />,
            onClick: () => void navigate(remoteScanPath(r.name)),
          },
        ];
        if (mayModify(r)) {
          actions.push(
            { label: `Edit remote ${r.name}`, icon: <IconEdit size={16} />, onClick: () => setEditing(r) },
            {
              label: `Remove remote ${r.name}`,
              icon: <IconTrash size={16} />,
              color: 'red',
              onClick: () => setRemoving(r),
            },
          );
        }
        return <RowActions actions={actions} />;
      },
    },
  ];

  return (
    <Stack>
      <PageHeader
        title="Remotes"
        description="Other backup servers that sync jobs pull from or push to."
        actions={
          mayAdd ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add remote
            </Button>
          ) : undefined
        }
      />
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <DataTable
        label="Remotes"
        columns={columns}
        rows={list.data?.items ?? []}
        rowKey={(r) => r.name}
        loading={list.isPending}
        empty={
          mayAdd
            ? 'No remotes yet. Add one with "Add remote" to pull backups from another server.'
            : 'No remotes visible to you.'
        }
        minWidth={1000}
      />
      {editing !== null && list.data !== undefined && (
        <RemoteFormModal
          remote={editing === 'new' ? null : editing}
          digest={list.data.digest}
          onClose={() => setEditing(null)}
          onSaved={invalidate}
        />
      )}
      {testing !== null && <TestConnectionModal name={testing} onClose={() => setTesting(null)} />}
      <ConfirmModal
        opened={removing !== null}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
        title="Remove remote"
        confirmLabel="Remove remote"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate({ name: removing.name, digest: list.data?.digest })}
      >
        {`Remove the remote '${removing?.name ?? ''}'? Sync jobs that use it stop working until they are changed. No backups are deleted.`}
      </ConfirmModal>
    </Stack>
  );
}
