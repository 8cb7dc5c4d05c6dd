import { Button, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlugConnected, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { S3Endpoint } from '@pbs/api-types';
import { ConfirmModal } from '../../components/confirm-modal';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { RowActions } from '../../components/row-actions';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { S3CheckModal } from './s3-check-modal';
import { S3EndpointModal } from './s3-endpoint-modal';
import { S3PricesCard } from './s3-prices-card';

/**
 * /config/s3: Configuration → S3 Endpoints (PBS S3ClientView): the grid of s3.cfg entries (no
 * secrets), add/edit/remove, and a connection check with the endpoint's buckets.
 */
export function S3EndpointsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const canModify = session.can('/system/s3-endpoint', 'Sys.Modify');
  const canCheck = session.can('/', 'Sys.Modify');
  const endpoints = useQuery(trpc.s3Endpoint.list.queryOptions(undefined, { refetchInterval: 5000 }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.s3Endpoint.list.queryKey() });
  const [editing, setEditing] = useState<S3Endpoint | 'new' | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const [removing, setRemoving] = useState<S3Endpoint | null>(null);
  const remove = useMutation(
    trpc.s3Endpoint.remove.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: async () => {
        setRemoving(null);
        await invalidate();
      },
    }),
  );

  const columns: Column<S3Endpoint>[] = [
    { key: 'id', header: 'S3 Endpoint ID', render: (e) => e.id },
    { key: 'endpoint', header: 'Endpoint', render: (e) => e.endpoint },
    { key: 'port', header: 'Port', width: 80, render: (e) => e.port ?? 'default' },
    { key: 'region', header: 'Region', width: 120, render: (e) => e.region ?? 'default' },
    { key: 'style', header: 'Addressing', width: 110, render: (e) => (e.pathStyle ? 'path style' : 'vhost') },
    {
      key: 'fingerprint',
      header: 'Fingerprint',
      render: (e) => (
        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {e.fingerprint ?? ''}
        </Text>
      ),
    },
    { key: 'comment', header: 'Comment', render: (e) => e.comment ?? '' },
    {
      key: 'actions',
      header: <VisuallyHidden>Actions</VisuallyHidden>,
      width: 130,
      render: (e) => (
        <RowActions
          actions={[
            ...(canCheck
              ? [
                  {
                    label: `Check connection of ${e.id}`,
                    icon: <IconPlugConnected size={16} />,
                    onClick: () => setChecking(e.id),
                  },
                ]
              : []),
            ...(canModify
              ? [
                  {
                    label: `Edit S3 endpoint ${e.id}`,
                    icon: <IconEdit size={16} />,
                    onClick: () => setEditing(e),
                  },
                  {
                    label: `Remove S3 endpoint ${e.id}`,
                    icon: <IconTrash size={16} />,
                    color: 'red',
                    onClick: () => setRemoving(e),
                  },
                ]
              : []),
          ]}
        />
      ),
    },
  ];

  return (
    <Stack>
      <PageHeader
        title="S3 Endpoints"
        description="S3-compatible object stores (AWS S3, MinIO, Ceph RGW, Cloudflare R2, …) that datastores can use as backend. HTTPS only; pin self-signed certificates by fingerprint."
        actions={
          canModify && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add S3 endpoint
            </Button>
          )
        }
      />
      {endpoints.isError && <ErrorAlert error={endpoints.error} onRetry={() => void endpoints.refetch()} />}
      <DataTable
        label="S3 endpoints"
        columns={columns}
        rows={endpoints.data?.items ?? []}
        rowKey={(e) => e.id}
        loading={endpoints.isPending}
        empty={
          canModify
            ? 'No S3 endpoints yet. Add one with "Add S3 endpoint".'
            : 'No S3 endpoints visible to you.'
        }
        minWidth={900}
      />
      {session.can('/system/s3-endpoint', 'Sys.Audit', 'Sys.Modify') && (
        <S3PricesCard canModify={canModify} />
      )}
      {editing !== null && endpoints.data && (
        <S3EndpointModal
          endpoint={editing === 'new' ? null : editing}
          digest={endpoints.data.digest}
          onClose={() => setEditing(null)}
          onSaved={invalidate}
        />
      )}
      {checking !== null && <S3CheckModal id={checking} onClose={() => setChecking(null)} />}
      <ConfirmModal
        opened={removing !== null}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
        title="Remove S3 endpoint"
        confirmLabel="Remove S3 endpoint"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate({ id: removing.id, digest: endpoints.data?.digest })}
      >
        {`Remove the S3 endpoint '${removing?.id ?? ''}'? Its access and secret keys are deleted from the server. Endpoints a datastore uses cannot be removed.`}
      </ConfirmModal>
    </Stack>
  );
}
