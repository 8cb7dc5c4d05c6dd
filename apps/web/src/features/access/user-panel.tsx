import { Badge, Button, Group, Stack, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { splitAuthId, type User } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { formatExpire } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { RowActions } from '../../components/row-actions';
import { SetPasswordModal } from './set-password-modal';
import { useInvalidateAccess, useUserList } from '../../lib/use-access';
import { UserFormModal } from './user-form-modal';

function realmOf(userid: string): string {
  return userid.slice(userid.lastIndexOf('@') + 1);
}

function nameOf(userid: string): string {
  return userid.slice(0, userid.lastIndexOf('@'));
}

/** Users: add, edit, set a password, remove (with their tokens and permissions). */
export function UserPanel() {
  const trpc = useTRPC();
  const session = useSession();
  const users = useUserList();
  const invalidate = useInvalidateAccess();
  const canModify = session.can('/access/users', 'Permissions.Modify');
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [passwordFor, setPasswordFor] = useState<User | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);
  const remove = useMutation(
    trpc.user.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        setRemoving(null);
        await invalidate();
      },
    }),
  );

  const columns: Column<User>[] = [
    { key: 'user', header: 'User name', render: (u) => nameOf(u.userid) },
    { key: 'realm', header: 'Realm', width: 90, render: (u) => realmOf(u.userid) },
    {
      key: 'enable',
      header: 'Enabled',
      width: 90,
      render: (u) => (
        <Badge color={u.enable ? 'green' : 'gray'} variant="light">
          {u.enable ? 'yes' : 'no'}
        </Badge>
      ),
    },
    { key: 'expire', header: 'Expire', width: 110, render: (u) => formatExpire(u.expire) },
    { key: 'name', header: 'Name', render: (u) => [u.firstname, u.lastname].filter(Boolean).join(' ') },
    { key: 'email', header: 'E-mail', render: (u) => u.email ?? '' },
    { key: 'comment', header: 'Comment', render: (u) => u.comment ?? '' },
  ];
  columns.push({
    key: 'actions',
    header: <VisuallyHidden>Actions</VisuallyHidden>,
    width: 130,
    render: (u) => (
      <RowActions
        actions={[
          ...(canModify
            ? [{ label: `Edit user ${u.userid}`, icon: <IconEdit size={16} />, onClick: () => setEditing(u) }]
            : []),
          ...(canModify || u.userid === session.authId
            ? [
                {
                  label: `Change password of ${u.userid}`,
                  icon: <IconKey size={16} />,
                  onClick: () => setPasswordFor(u),
                },
              ]
            : []),
          ...(canModify && u.userid !== session.authId
            ? [
                {
                  label: `Remove user ${u.userid}`,
                  icon: <IconTrash size={16} />,
                  color: 'red',
                  onClick: () => setRemoving(u),
                },
              ]
            : []),
        ]}
      />
    ),
  });

  return (
    <Stack>
      {canModify && (
        <Group>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            Add user
          </Button>
        </Group>
      )}
      {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
      <DataTable
        label="Users"
        columns={columns}
        rows={users.data?.items ?? []}
        rowKey={(u) => u.userid}
        loading={users.isPending}
        empty={canModify ? 'No users yet. Add one with "Add user".' : 'No users visible to you.'}
        minWidth={960}
      />
      {editing !== null && users.data && (
        <UserFormModal
          user={editing === 'new' ? null : editing}
          digest={users.data.digest}
          onClose={() => setEditing(null)}
        />
      )}
      {passwordFor !== null && (
        <SetPasswordModal
          userid={passwordFor.userid}
          isSelf={passwordFor.userid === session.authId}
          onClose={() => setPasswordFor(null)}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
        title="Remove user"
        confirmLabel="Remove user"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate({ userid: removing.userid, digest: users.data?.digest })}
      >
        {`Remove the user '${removing?.userid ?? ''}'? Their API tokens${
          removing !== null && removing.tokens.length > 0
            ? ` (${removing.tokens.map((t) => splitAuthId(t.tokenid).token).join(', ')})`
            : ''
        } and permissions are removed too.`}
      </ConfirmModal>
    </Stack>
  );
}
