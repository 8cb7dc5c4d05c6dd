import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFingerprint } from '@tabler/icons-react';
import { CopyAction } from '../../components/copy-action';

/** PBS's "Show Fingerprint": what clients pin to trust this server's self-signed certificate. */
export function FingerprintButton({ fingerprint }: { fingerprint: string }) {
  const [opened, modal] = useDisclosure(false);
  return (
    <>
      <Button size="xs" variant="default" leftSection={<IconFingerprint size={14} />} onClick={modal.open}>
        Show fingerprint
      </Button>
      <Modal opened={opened} onClose={modal.close} title="Certificate fingerprint" size="lg">
        <Stack>
          <Text size="sm">Backup clients and remotes use this SHA-256 fingerprint to trust this server.</Text>
          <Group gap={4} wrap="nowrap">
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}>
              {fingerprint}
            </Code>
            <CopyAction value={fingerprint} label="fingerprint" />
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
