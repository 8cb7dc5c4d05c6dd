import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { S3PricesSchema, type S3Prices } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { zodValidate } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';

/** Prices behind the estimated monthly cost on S3 datastores' summaries (beyond PBS). */
export function S3PricesCard({ canModify }: { canModify: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const prices = useQuery(trpc.s3Endpoint.prices.queryOptions());
  const form = useForm<S3Prices>({
    initialValues: { currency: 'USD', storageGbMonth: 0, putPer1k: 0, getPer1k: 0, egressGb: 0 },
    validate: zodValidate(S3PricesSchema),
  });
  const loaded = prices.data?.prices;
  useEffect(() => {
    if (loaded !== undefined) {
      form.setValues(loaded);
      form.resetDirty(loaded);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the server's values change
  }, [JSON.stringify(loaded)]);
  const save = useMutation(
    trpc.s3Endpoint.setPrices.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.s3Endpoint.prices.queryKey() }),
    }),
  );
  const number = (key: keyof Omit<S3Prices, 'currency'>, label: string) => (
    <NumberInput
      label={label}
      min={0}
      decimalScale={6}
      step={0.001}
      disabled={!canModify}
      {...form.getInputProps(key)}
    />
  );
  return (
    <Card withBorder component="section" aria-label="Cost estimate prices">
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate({ ...v, digest: prices.data?.digest }))}>
        <Stack gap="sm">
          <Title order={3} size="h4">
            Cost estimate prices
          </Title>
          <Text size="sm" c="dimmed">
            Used for the estimated monthly cost on the summary of S3 datastores. Defaults are AWS S3 Standard
            list prices.
          </Text>
          {prices.isError && <ErrorAlert error={prices.error} onRetry={() => void prices.refetch()} />}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Currency" disabled={!canModify} {...form.getInputProps('currency')} />
            {number('storageGbMonth', 'Storage per GB-month')}
            {number('egressGb', 'Egress per GB')}
            {number('putPer1k', 'PUT/POST per 1,000 requests')}
            {number('getPer1k', 'GET/HEAD per 1,000 requests')}
          </SimpleGrid>
          {save.isError && <FormError error={save.error} onReload={() => void prices.refetch()} />}
          {canModify && (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                Save prices
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}
