import { Alert, Button, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { FetchFingerprintOutput } from '@pbs/api-types';
import { Fact } from '../../components/fact';
import { formatEpoch } from '../../lib/format';

export interface FingerprintConfirmProps {
  host: string;
  certificate: FetchFingerprintOutput;
  onConfirm: () => void;
  onReject: () => void;
}

/**
 * The certificate a host presented, for the admin to compare with the remote's own dashboard
 * before trusting it: the fingerprint is only filled in after an explicit confirmation.
 */
export function FingerprintConfirm({ host, certificate, onConfirm, onReject }: FingerprintConfirmProps) {
  return (
    <Alert
      color={certificate.trusted ? 'green' : 'yellow'}
      title={`Certificate of ${host}`}
      role="region"
      aria-label={`Certificate of ${host}`}
    >
      <Stack gap="xs">
        <Text size="sm">
          {certificate.trusted
            ? 'The certificate chains to a trusted CA. Pinning its fingerprint is optional.'
            : 'Compare this fingerprint with the one shown on the remote (Dashboard → Show Fingerprint) before you trust it.'}
        </Text>
        <Fact label="Fingerprint (SHA-256)">
          <Code aria-label="Fetched fingerprint" style={{ wordBreak: 'break-all' }}>
            {certificate.fingerprint}
          </Code>
        </Fact>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Fact label="Subject">{certificate.subject || '—'}</Fact>
          <Fact label="Issuer">{certificate.issuer || '—'}</Fact>
          <Fact label="Expires">
            {certificate.notAfter === null ? '—' : formatEpoch(certificate.notAfter)}
          </Fact>
        </SimpleGrid>
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={onReject}>
            Do not trust
          </Button>
          <Button size="xs" onClick={onConfirm}>
            Confirm fingerprint
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
