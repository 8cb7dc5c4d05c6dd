import { Badge, Button, Group, Stack, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { AclEntry } from '@pbs/api-types';
import { ConfirmModal } from '../confirm-modal';
import { DataTable, type Column } from '../data-table';
import { ErrorAlert } from '../error-alert';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { AclFormModal } from './acl-form-modal';
import { RowActions } from '../row-actions';
import { useAclList, useInvalidateAccess, useUserList } from '../../lib/use-access';

const entryKey = (e: AclEntry) => `${e.path}\u0000${e.ugid}\u0000${e.roleid}`;

export interface AclPanelProps {
  /** only entries on this ACL path and below it (a datastore's Permissions tab); new entries start here */
  path?: string;
}

/** Permissions: who has which role on which path; add and remove entries. */
export function AclPanel({ path }: AclPanelProps) {
  const trpc = useTRPC();
  const session = useSession();
  const acl = useAclList(path);
  const users = useUserList();
  const invalidate = useInvalidateAccess();
  const canModify = session.can('/access/acl', 'Permissions.Modify');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<AclEntry | null>(null);
  const remove = useMutation(
    trpc.acl.update.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        setRemoving(null);
        await invalidate();
      },
    }),
  );

  const authIds = [
    { group: 'Users', items: (users.data?.items ?? []).map((u) => u.userid) },
    { group: 'API tokens', items: (users.data?.items ?? []).flatMap((u) => u.tokens.map((t) => t.tokenid)) },
  ].filter((g) => g.items.length > 0);

  const columns: Column<AclEntry>[] = [
    { key: 'path', header: 'Path', render: (e) => e.path },
    { key: 'ugid', header: 'User or token', render: (e) => e.ugid },
    { key: 'role', header: 'Role', render: (e) => e.roleid },
    {
      key: 'propagate',
      header: 'Propagate',
      width: 100,
      render: (e) => (
        <Badge color={e.propagate ? 'blue' : 'gray'} variant="light">
          {e.propagate ? 'yes' : 'no'}
        </Badge>
      ),
    },
  ];
  if (canModify) {
    columns.push({
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 70,
      render: (e) => (
        <RowActions
          actions={[
            {
              label: `Remove permission ${e.roleid} on ${e.path} for ${e.ugid}`,
              icon: <IconTrash size={16} />,
              color: 'red',
              onClick: () => setRemoving(e),
            },
          ]}
        />
      ),
    });
  }

  return (
    <Stack>
      {canModify && (
        <Group>
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setAdding(true)}
            disabled={acl.data === undefined}
          >
            Add permission
          </Button>
        </Group>
      )}
      {acl.isError && <ErrorAlert error={acl.error} onRetry={() => void acl.refetch()} />}
      <DataTable
        label="Permissions"
        columns={columns}
        rows={acl.data?.items ?? []}
        rowKey={entryKey}
        loading={acl.isPending}
        empty={
          canModify
            ? `No permissions${path === undefined ? '' : ` on ${path}`} yet. Grant a user or token a role with "Add permission".`
            : 'No permissions visible to you.'
        }
      />
      {adding && acl.data && (
        <AclFormModal
          authIds={authIds}
          digest={acl.data.digest}
          defaultPath={path}
          onClose={() => setAdding(false)}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
        title="Remove permission"
        confirmLabel="Remove permission"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          removing &&
          remove.mutate({
            path: removing.path,
            role: removing.roleid,
            authId: removing.ugid,
            delete: true,
            digest: acl.data?.digest,
          })
        }
      >
        {removing === null
          ? ''
          : `Remove the role ${removing.roleid} on '${removing.path}' from '${removing.ugid}'?`}
      </ConfirmModal>
    </Stack>
  );
}
