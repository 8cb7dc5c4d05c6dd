import {
  Alert,
  Autocomplete,
  Button,
  Group,
  List,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { BucketNameSchema } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

/**
 * Check connection (PBS `admin/s3/{id}/check`, hidden in PBS's UI): the buckets the credentials
 * see, and a check of one bucket (HEAD, then a test object written, read and deleted).
 */
export function S3CheckModal({ id, onClose }: { id: string; onClose: () => void }) {
  const trpc = useTRPC();
  const buckets = useQuery(trpc.s3Endpoint.listBuckets.queryOptions({ id }, { retry: false }));
  const [bucket, setBucket] = useState('');
  const [storePrefix, setStorePrefix] = useState('');
  const check = useMutation(trpc.s3Endpoint.check.mutationOptions({ meta: { handlesErrors: true } }));
  const parsed = BucketNameSchema.safeParse(bucket.trim());
  const bucketError = bucket.trim() !== '' && !parsed.success ? parsed.error.issues[0]?.message : undefined;

  return (
    <Modal opened onClose={onClose} title={`Check S3 Endpoint ${id}`} size="lg">
      <Stack>
        <section aria-label="Buckets">
          <Title order={3} size="h5" mb="xs">
            Buckets
          </Title>
          {buckets.isPending && <Text size="sm">Listing buckets…</Text>}
          {buckets.isError && <ErrorAlert error={buckets.error} title="Listing the buckets failed" />}
          {buckets.data?.length === 0 && <Text size="sm">The credentials see no buckets.</Text>}
          {buckets.data !== undefined && buckets.data.length > 0 && (
            <List size="sm">
              {buckets.data.map((b) => (
                <List.Item key={b.name}>
                  {b.name}
                  {b.creationDate !== null && (
                    <Text span c="dimmed" size="xs">
                      {' '}
                      (created {formatDate(b.creationDate / 1000)})
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
          )}
        </section>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!parsed.success) return;
            check.mutate({ id, bucket: parsed.data, storePrefix: storePrefix.trim() || undefined });
          }}
        >
          <Stack>
            <Group grow align="flex-start">
              <Autocomplete
                label="Bucket"
                required
                data={(buckets.data ?? []).map((b) => b.name)}
                value={bucket}
                onChange={(value) => {
                  setBucket(value);
                  check.reset();
                }}
                error={bucketError}
              />
              <TextInput
                label="Store prefix"
                description="Optional: where the test object goes (a datastore name)"
                value={storePrefix}
                onChange={(e) => setStorePrefix(e.currentTarget.value)}
              />
            </Group>
            {check.isSuccess && (
              <Alert color="green" icon={<IconCircleCheck />} title="Connection OK" role="status">
                {check.data.message} ({check.data.latencyMs} ms)
              </Alert>
            )}
            {check.isError && <ErrorAlert error={check.error} title="Check failed" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Close
              </Button>
              <Button type="submit" loading={check.isPending} disabled={!parsed.success}>
                Check connection
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
