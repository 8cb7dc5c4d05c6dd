import {
  Accordion,
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { CreateS3EndpointInputSchema, UpdateS3EndpointInputSchema, type S3Endpoint } from '@pbs/api-types';
import { FormError } from '../../components/form-error';
import { toAppError } from '../../lib/errors';
import { serverFieldErrors, validateAsInput } from '../../lib/form';
import { useTRPC } from '../../lib/trpc';
import {
  initialValues,
  S3_ENDPOINT_FIELDS,
  toCreateInput,
  toUpdateInput,
  type S3EndpointValues,
} from './s3-endpoint-form';

const ADVANCED = [
  'rateIn',
  'burstIn',
  'rateOut',
  'burstOut',
  'putRateLimit',
  'skipIfNoneMatch',
  'deleteViaDeleteObject',
] as const;

export interface S3EndpointModalProps {
  /** null adds a new endpoint */
  endpoint: S3Endpoint | null;
  digest: string;
  onClose: () => void;
  onSaved: () => Promise<void>;
}

/**
 * Add or edit an S3 endpoint (PBS S3ClientEdit): every s3.cfg field. The secret key is write-only:
 * required when adding, left empty on edit to keep the stored one.
 */
export function S3EndpointModal({ endpoint, digest, onClose, onSaved }: S3EndpointModalProps) {
  const trpc = useTRPC();
  const isNew = endpoint === null;
  const form = useForm<S3EndpointValues>({
    initialValues: initialValues(endpoint),
    validate: isNew
      ? validateAsInput(CreateS3EndpointInputSchema, toCreateInput)
      : validateAsInput(UpdateS3EndpointInputSchema, (v: S3EndpointValues) =>
          toUpdateInput(endpoint, digest, v),
        ),
  });
  const onError = (err: unknown) => {
    const placed = serverFieldErrors(err, S3_ENDPOINT_FIELDS);
    if (toAppError(err).code === 'ALREADY_EXISTS') placed.errors.id = toAppError(err).message;
    form.setErrors(placed.errors);
  };
  const onSuccess = async () => {
    await onSaved();
    onClose();
  };
  const create = useMutation(
    trpc.s3Endpoint.create.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess }),
  );
  const update = useMutation(
    trpc.s3Endpoint.update.mutationOptions({ meta: { handlesErrors: true }, onError, onSuccess }),
  );
  const mutation = isNew ? create : update;
  const [advanced, setAdvanced] = useState<string | null>(
    ADVANCED.some((key) => initialValues(endpoint)[key]) ? 'advanced' : null,
  );
  // an error on a field inside the collapsed section opens it, so the message shows
  const advancedOpen = ADVANCED.some((key) => form.errors[key] !== undefined) ? 'advanced' : advanced;
  const formLevelError =
    mutation.error !== null &&
    toAppError(mutation.error).code !== 'ALREADY_EXISTS' &&
    !serverFieldErrors(mutation.error, S3_ENDPOINT_FIELDS).placed;

  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? 'Add S3 Endpoint' : `Edit S3 Endpoint ${endpoint.id}`}
      size="lg"
    >
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          isNew ? create.mutate(toCreateInput(v)) : update.mutate(toUpdateInput(endpoint, digest, v)),
        )}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="S3 Endpoint ID"
              required
              disabled={!isNew}
              data-autofocus
              description="Letters, digits, '_', '.', '-' (3–32)"
              {...form.getInputProps('id')}
            />
            <TextInput
              label="Endpoint"
              required
              placeholder="{{bucket}}.s3.{{region}}.amazonaws.com"
              description="IP or FQDN; may use {{bucket}} and {{region}} (HTTPS only)"
              {...form.getInputProps('endpoint')}
            />
            <TextInput
              label="Port"
              placeholder="default (443)"
              inputMode="numeric"
              {...form.getInputProps('port')}
            />
            <TextInput label="Region" placeholder="default (us-west-1)" {...form.getInputProps('region')} />
            <TextInput label="Access Key" required autoComplete="off" {...form.getInputProps('accessKey')} />
            <PasswordInput
              label="Secret Key"
              required={isNew}
              autoComplete="new-password"
              placeholder={isNew ? undefined : 'Unchanged'}
              description={
                isNew ? 'Stored on the server, never shown again' : 'Leave empty to keep the stored key'
              }
              {...form.getInputProps('secretKey')}
            />
          </SimpleGrid>
          <TextInput
            label="Fingerprint"
            placeholder="aa:bb:…"
            description="Server certificate's SHA-256 fingerprint, required for self-signed certificates"
            {...form.getInputProps('fingerprint')}
          />
          <Checkbox
            label="Path Style"
            description="Use path style over vhost style bucket addressing"
            {...form.getInputProps('pathStyle', { type: 'checkbox' })}
          />
          <TextInput label="Comment" {...form.getInputProps('comment')} />
          <Accordion variant="contained" value={advancedOpen} onChange={setAdvanced}>
            <Accordion.Item value="advanced">
              <Accordion.Control>Advanced</Accordion.Control>
              <Accordion.Panel>
                <Stack>
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <TextInput
                      label="Rate In"
                      placeholder="Unlimited"
                      description="e.g. 100MiB (per second)"
                      {...form.getInputProps('rateIn')}
                    />
                    <TextInput
                      label="Burst In"
                      placeholder="Same as Rate"
                      {...form.getInputProps('burstIn')}
                    />
                    <TextInput
                      label="Rate Out"
                      placeholder="Unlimited"
                      description="e.g. 50MiB (per second)"
                      {...form.getInputProps('rateOut')}
                    />
                    <TextInput
                      label="Burst Out"
                      placeholder="Same as Rate"
                      {...form.getInputProps('burstOut')}
                    />
                    <TextInput
                      label="PUT Rate Limit"
                      placeholder="Unlimited"
                      description="PUT requests per second"
                      inputMode="numeric"
                      {...form.getInputProps('putRateLimit')}
                    />
                  </SimpleGrid>
                  <Checkbox
                    label="Skip If-None-Match header"
                    description="Provider quirk, needed for Backblaze B2"
                    {...form.getInputProps('skipIfNoneMatch', { type: 'checkbox' })}
                  />
                  <Checkbox
                    label="DeleteObjects via DeleteObject"
                    description="Provider quirk: delete objects one by one"
                    {...form.getInputProps('deleteViaDeleteObject', { type: 'checkbox' })}
                  />
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
          {formLevelError && (
            <FormError error={mutation.error} onReload={() => void onSaved().then(onClose)} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {isNew ? 'Add' : 'Save'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
