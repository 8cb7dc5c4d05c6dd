import { Badge, Button, Group, Stack, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { isTokenId, splitAuthId, type ApiToken, type CreateTokenOutput } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { formatExpire } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { RowActions } from '../../components/row-actions';
import { TokenFormModal } from './token-form-modal';
import { TokenSecretModal } from './token-secret-modal';
import { useInvalidateAccess, useUserList } from '../../lib/use-access';

type Pending = { kind: 'remove' | 'regenerate'; token: ApiToken } | null;

/** API tokens of every visible user: add (secret shown once), edit, regenerate, remove. */
export function TokenPanel() {
  const trpc = useTRPC();
  const session = useSession();
  const users = useUserList();
  const invalidate = useInvalidateAccess();
  const canModifyAll = session.can('/access/users', 'Permissions.Modify');
  const isUserSession = session.authId !== '' && !isTokenId(session.authId);
  const mayManage = (tokenid: string) =>
    canModifyAll || (isUserSession && splitAuthId(tokenid).user === session.authId);
  const [editing, setEditing] = useState<ApiToken | 'new' | null>(null);
  const [secret, setSecret] = useState<CreateTokenOutput | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const closePending = () => setPending(null);
  const remove = useMutation(
    trpc.token.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        closePending();
        await invalidate();
      },
    }),
  );
  const regenerate = useMutation(
    trpc.token.regenerate.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async (created) => {
        closePending();
        setSecret(created);
        await invalidate();
      },
    }),
  );
  const action = pending?.kind === 'regenerate' ? regenerate : remove;

  const tokens = (users.data?.items ?? []).flatMap((u) => u.tokens);
  const userids = canModifyAll
    ? (users.data?.items ?? []).map((u) => u.userid)
    : isUserSession
      ? [session.authId]
      : [];
  const columns: Column<ApiToken>[] = [
    { key: 'user', header: 'User', render: (t) => splitAuthId(t.tokenid).user },
    { key: 'name', header: 'Token name', render: (t) => splitAuthId(t.tokenid).token ?? '' },
    {
      key: 'enable',
      header: 'Enabled',
      width: 90,
      render: (t) => (
        <Badge color={t.enable ? 'green' : 'gray'} variant="light">
          {t.enable ? 'yes' : 'no'}
        </Badge>
      ),
    },
    { key: 'expire', header: 'Expire', width: 110, render: (t) => formatExpire(t.expire) },
    { key: 'comment', header: 'Comment', render: (t) => t.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 130,
      render: (t) =>
        mayManage(t.tokenid) && (
          <RowActions
            actions={[
              {
                label: `Edit token ${t.tokenid}`,
                icon: <IconEdit size={16} />,
                onClick: () => setEditing(t),
              },
              {
                label: `Regenerate secret of ${t.tokenid}`,
                icon: <IconRefresh size={16} />,
                onClick: () => setPending({ kind: 'regenerate', token: t }),
              },
              {
                label: `Remove token ${t.tokenid}`,
                icon: <IconTrash size={16} />,
                color: 'red',
                onClick: () => setPending({ kind: 'remove', token: t }),
              },
            ]}
          />
        ),
    },
  ];

  return (
    <Stack>
      {userids.length > 0 && (
        <Group>
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setEditing('new')}
            disabled={users.data === undefined}
          >
            Add token
          </Button>
        </Group>
      )}
      {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
      <DataTable
        label="API tokens"
        columns={columns}
        rows={tokens}
        rowKey={(t) => t.tokenid}
        loading={users.isPending}
        empty='No API tokens yet. Scripts and backup clients log in with one: create it with "Add token".'
        minWidth={800}
      />
      {editing !== null && users.data && (
        <TokenFormModal
          token={editing === 'new' ? null : editing}
          userids={userids}
          defaultUserid={userids.includes(session.authId) ? session.authId : (userids[0] ?? '')}
          digest={users.data.digest}
          onClose={() => setEditing(null)}
          onCreated={(created) => {
            setEditing(null);
            setSecret(created);
          }}
        />
      )}
      {secret !== null && (
        <TokenSecretModal tokenid={secret.tokenid} secret={secret.value} onClose={() => setSecret(null)} />
      )}
      <ConfirmModal
        opened={pending !== null}
        onClose={() => {
          action.reset();
          closePending();
        }}
        title={pending?.kind === 'regenerate' ? 'Regenerate token secret' : 'Remove API token'}
        confirmLabel={pending?.kind === 'regenerate' ? 'Regenerate' : 'Remove token'}
        loading={action.isPending}
        error={action.error}
        onConfirm={() =>
          pending && action.mutate({ tokenid: pending.token.tokenid, digest: users.data?.digest })
        }
      >
        {pending?.kind === 'regenerate'
          ? `Regenerate the secret of '${pending.token.tokenid}'? The current secret stops working at once.`
          : `Remove the API token '${pending?.token.tokenid ?? ''}'? Clients using it can no longer log in, and its permissions are removed.`}
      </ConfirmModal>
    </Stack>
  );
}
