import { ActionIcon, Menu, Tooltip } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { PackFormat } from '../../lib/downloads';

export interface DownloadActionProps {
  /** accessible name: "Download /docs/readme.txt" */
  label: string;
  /** a regular file downloads as itself: one link */
  single: string | null;
  /** anything else is packed: a link per format */
  packed: (format: PackFormat) => string;
}

export const FORMAT_LABELS: Record<PackFormat, string> = {
  zip: 'as .zip',
  'tar.zst': 'as .tar.zst',
};

/**
 * A file's download link, or a small menu of packed downloads for a folder. Real links: the
 * browser streams the download to disk and shows its progress.
 */
export function DownloadAction({ label, single, packed }: DownloadActionProps) {
  if (single !== null) {
    return (
      <Tooltip label={label} withArrow openDelay={400}>
        <ActionIcon component="a" href={single} download variant="subtle" color="gray" aria-label={label}>
          <IconDownload size={16} />
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          <IconDownload size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {(['zip', 'tar.zst'] as const).map((format) => (
          <Menu.Item key={format} component="a" href={packed(format)} download>
            {`Download ${FORMAT_LABELS[format]}`}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
