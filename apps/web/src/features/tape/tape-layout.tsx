import { Button, Center, Loader, Stack, Tabs } from '@mantine/core';
import {
  IconArchive,
  IconBoxMultiple,
  IconCalendarTime,
  IconDeviceFloppy,
  IconFolders,
  IconKey,
  IconListDetails,
  IconRestore,
} from '@tabler/icons-react';
import { Suspense, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { TAPE_RESTORE_PATH, TAPE_TAB_LABELS, TAPE_TABS, tapePath, type TapeTab } from './tape-paths';

const ICONS: Record<TapeTab, ReactNode> = {
  content: <IconFolders size={16} />,
  inventory: <IconListDetails size={16} />,
  changers: <IconBoxMultiple size={16} />,
  drives: <IconDeviceFloppy size={16} />,
  pools: <IconArchive size={16} />,
  jobs: <IconCalendarTime size={16} />,
  keys: <IconKey size={16} />,
};

function tabOf(pathname: string): TapeTab | null {
  return TAPE_TABS.find((tab) => pathname === tapePath(tab)) ?? null;
}

/** Tape Backup: one tab per view (each its own URL) and the restore wizard. */
export function TapeLayout() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  return (
    <Stack>
      <PageHeader
        title="Tape Backup"
        description="Media sets on tape, the media inventory, changers, drives, media pools and tape backup jobs."
        actions={
          pathname !== TAPE_RESTORE_PATH ? (
            <Button component={Link} to={TAPE_RESTORE_PATH} leftSection={<IconRestore size={16} />}>
              Restore from tape
            </Button>
          ) : undefined
        }
      />
      <Tabs
        value={tabOf(pathname)}
        onChange={(value) => {
          const next = TAPE_TABS.find((t) => t === value);
          if (next !== undefined) void navigate(tapePath(next));
        }}
      >
        <Tabs.List>
          {TAPE_TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab} leftSection={ICONS[tab]}>
              {TAPE_TAB_LABELS[tab]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Suspense
        fallback={
          <Center py="xl">
            <Loader aria-label="Loading tab" />
          </Center>
        }
      >
        <Outlet />
      </Suspense>
    </Stack>
  );
}
