import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { CopyAction } from '../../components/copy-action';

export interface TokenSecretModalProps {
  tokenid: string;
  secret: string;
  onClose: () => void;
}

/** The token's secret, shown this once: the server keeps only a hash. */
export function TokenSecretModal({ tokenid, secret, onClose }: TokenSecretModalProps) {
  return (
    <Modal opened onClose={onClose} title="Token secret" size="lg" closeOnClickOutside={false}>
      <Stack>
        <Alert color="yellow" icon={<IconAlertTriangle />} title="Copy the secret now">
          This secret is shown only once and cannot be shown again. If you lose it, regenerate the token.
        </Alert>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Token ID
          </Text>
          <Group gap={4} wrap="nowrap">
            <Code style={{ wordBreak: 'break-all', flex: 1 }}>{tokenid}</Code>
            <CopyAction value={tokenid} label="token ID" />
          </Group>
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Secret
          </Text>
          <Group gap={4} wrap="nowrap">
            <Code aria-label="Token secret" style={{ wordBreak: 'break-all', flex: 1 }}>
              {secret}
            </Code>
            <CopyAction value={secret} label="secret" />
          </Group>
        </Stack>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
