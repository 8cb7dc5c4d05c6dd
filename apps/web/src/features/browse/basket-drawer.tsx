import {
  ActionIcon,
  Alert,
  Button,
  Drawer,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconDownload, IconInfoCircle, IconTrash, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { ByteSize } from '../../components/byte-size';
import type { PackFormat } from '../../lib/downloads';
import { formatBytes } from '../../lib/format';
import { EntryIcon, TYPE_LABELS, innerPath } from './entry-types';
import type { Basket } from './use-basket';

export interface BasketDrawerProps {
  basket: Basket;
  /** the basket's one streamed download */
  downloadUrl: (format: PackFormat) => string;
  onClose: () => void;
}

/** "12 KiB in 3 files, plus 1 folder" — folders' sizes are unknown until packed. */
export function basketSummary(basket: Basket): string {
  const files = basket.items.filter((i) => i.type !== 'd');
  const folders = basket.items.length - files.length;
  const known = files.reduce((sum, i) => sum + (i.size ?? 0), 0);
  const parts: string[] = [];
  if (files.length > 0)
    parts.push(`${formatBytes(known)} in ${files.length} file${files.length === 1 ? '' : 's'}`);
  if (folders > 0) parts.push(`${folders} folder${folders === 1 ? '' : 's'} (size known once packed)`);
  return parts.join(', plus ');
}

/**
 * Beyond PBS: the restore basket. Files and folders picked in one archive of the snapshot,
 * downloaded together as one .zip or .tar.zst that the server packs while it streams.
 */
export function BasketDrawer({ basket, downloadUrl, onClose }: BasketDrawerProps) {
  const [format, setFormat] = useState<PackFormat>('zip');
  const empty = basket.items.length === 0;
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="lg"
      title="Restore basket"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        {empty ? (
          <Text c="dimmed">
            The basket is empty. Tick files and folders in the list to put them in it; they are then
            downloaded together as one archive.
          </Text>
        ) : (
          <>
            <Text size="sm">
              From{' '}
              <Text span ff="monospace">
                {basket.archive}
              </Text>
              : {basketSummary(basket)}.
            </Text>
            <Table aria-label="Basket" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Path</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th aria-label="Remove" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {basket.items.map((item) => {
                  const shown = innerPath(item.path);
                  return (
                    <Table.Tr key={item.path}>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <EntryIcon type={item.type} />
                          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                            {shown}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {item.type === 'd' ? TYPE_LABELS.d : <ByteSize bytes={item.size} size="sm" />}
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Remove ${shown} from the basket`}
                          onClick={() => basket.remove(item.path)}
                        >
                          <IconX size={16} />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <SegmentedControl
              aria-label="Archive format"
              value={format}
              onChange={(value) => setFormat(value === 'tar.zst' ? 'tar.zst' : 'zip')}
              data={[
                { value: 'zip', label: '.zip' },
                { value: 'tar.zst', label: '.tar.zst' },
              ]}
            />
            <Alert variant="light" icon={<IconInfoCircle />} p="xs">
              <Text size="sm">
                The server packs the archive while it streams it: the download starts at once, and your
                browser’s downloads show its progress and let you cancel it. Nothing is held in this page,
                however big the basket.
              </Text>
            </Alert>
            <Group justify="space-between">
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => basket.clear()}
              >
                Empty basket
              </Button>
              <Button
                component="a"
                href={downloadUrl(format)}
                download
                leftSection={<IconDownload size={16} />}
              >
                Download basket
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Drawer>
  );
}
