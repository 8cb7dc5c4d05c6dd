import { Button, Menu, Text, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCheck, IconChevronDown, IconKey, IconLogout, IconUser } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { setCsrfToken } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { useSession } from '../../lib/use-session';
import { ChangePasswordModal } from './change-password-modal';

const SCHEMES: Array<{ value: MantineColorScheme; label: string }> = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'auto', label: 'Auto' },
];

/** The header's user menu: change password, colour theme, log out. */
export function UserMenu() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { authId } = useSession();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const [passwordOpened, passwordModal] = useDisclosure(false);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        setCsrfToken(null);
        queryClient.clear();
        await navigate('/login', { replace: true });
      },
    }),
  );

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="subtle"
            color="gray"
            aria-label="User menu"
            leftSection={<IconUser size={16} />}
            rightSection={<IconChevronDown size={14} />}
            px="xs"
          >
            <Text span inherit truncate maw={192} visibleFrom="sm">
              {authId}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{authId}</Menu.Label>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={passwordModal.open}>
            Change password
          </Menu.Item>
          <Menu.Divider />
          <Menu.Label>Theme</Menu.Label>
          {SCHEMES.map((scheme) => (
            <Menu.Item
              key={scheme.value}
              onClick={() => setColorScheme(scheme.value)}
              aria-label={`Theme: ${scheme.label}${colorScheme === scheme.value ? ' (selected)' : ''}`}
              leftSection={
                colorScheme === scheme.value ? <IconCheck size={16} /> : <span style={{ width: 16 }} />
              }
            >
              {scheme.label}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => logout.mutate()}>
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={passwordOpened} onClose={passwordModal.close} userid={authId} />
    </>
  );
}
