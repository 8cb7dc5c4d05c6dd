import { NavLink, ScrollArea } from '@mantine/core';
import { IconDashboard, IconListDetails, IconSettings, IconTool, IconUsers } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { useSession } from '../lib/use-session';

/** The PBS navigation tree; entries the caller has no privilege for are left out. */
export function NavTree({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation();
  const session = useSession();
  const seesAccess = session.canBelow('/access', 'Sys.Audit', 'Permissions.Modify');
  const link = (to: string, label: string, icon: React.ReactNode, match = to) => (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={pathname === match || pathname.startsWith(`${match}/`)}
      onClick={onNavigate}
    />
  );
  return (
    <ScrollArea component="nav" aria-label="Main navigation">
      {link('/dashboard', 'Dashboard', <IconDashboard size={18} />)}
      {seesAccess && (
        <NavLink
          label="Configuration"
          leftSection={<IconSettings size={18} />}
          defaultOpened
          childrenOffset={28}
        >
          {link('/access/users', 'Access Control', <IconUsers size={18} />, '/access')}
        </NavLink>
      )}
      <NavLink label="Administration" leftSection={<IconTool size={18} />} defaultOpened childrenOffset={28}>
        {link('/tasks', 'Tasks', <IconListDetails size={18} />)}
      </NavLink>
    </ScrollArea>
  );
}
