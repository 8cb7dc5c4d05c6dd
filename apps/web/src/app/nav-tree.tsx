import { NavLink, ScrollArea, Tooltip } from '@mantine/core';
import {
  IconCloudUpload,
  IconDashboard,
  IconDatabase,
  IconDatabaseExclamation,
  IconDatabasePlus,
  IconDeviceFloppy,
  IconListDetails,
  IconPlugConnected,
  IconLoader2,
  IconServer2,
  IconSettings,
  IconTool,
  IconUsers,
} from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import type { DatastoreListItem } from '@pbs/api-types';
import { ADD_DATASTORE_PATH, datastorePath } from '../lib/datastore-paths';
import { useDatastoreList } from '../lib/use-datastores';
import { useSession } from '../lib/use-session';

function datastoreIcon(store: DatastoreListItem) {
  if (store.creating) return <IconLoader2 size={18} aria-hidden />;
  if (store.maintenance !== undefined) {
    const text = `maintenance: ${store.maintenance.type}${store.maintenance.message ? ` (${store.maintenance.message})` : ''}`;
    return (
      <Tooltip label={text} withArrow>
        <IconDatabaseExclamation size={18} aria-label={text} />
      </Tooltip>
    );
  }
  return <IconDatabase size={18} aria-hidden />;
}

/** The PBS navigation tree; entries the caller has no privilege for are left out. */
export function NavTree({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation();
  const session = useSession();
  const datastores = useDatastoreList();
  const seesAccess = session.canBelow('/access', 'Sys.Audit', 'Permissions.Modify');
  const seesS3 = session.canBelow('/system/s3-endpoint', 'Sys.Audit', 'Sys.Modify');
  const seesRemotes = session.canBelow('/remote', 'Remote.Audit', 'Remote.Modify');
  const seesTape = session.canBelow('/tape', 'Tape.Audit', 'Tape.Modify', 'Tape.Read', 'Tape.Write');
  const mayAddDatastore = session.can('/datastore', 'Datastore.Allocate');
  const stores = datastores.data ?? [];
  const seesDatastores = stores.length > 0 || mayAddDatastore;
  const isActive = (match: string) => pathname === match || pathname.startsWith(`${match}/`);
  const link = (to: string, label: string, icon: React.ReactNode, match = to) => (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={isActive(match)}
      onClick={onNavigate}
    />
  );
  const rootActive = [
    '/datastore',
    '/datastore/prune-gc',
    '/datastore/verify',
    '/datastore/sync',
    ADD_DATASTORE_PATH,
  ].includes(pathname);
  return (
    <ScrollArea component="nav" aria-label="Main navigation">
      {link('/dashboard', 'Dashboard', <IconDashboard size={18} />)}
      {(seesAccess || seesS3 || seesRemotes) && (
        <NavLink
          label="Configuration"
          leftSection={<IconSettings size={18} />}
          defaultOpened
          childrenOffset={28}
        >
          {seesAccess && link('/access/users', 'Access Control', <IconUsers size={18} />, '/access')}
          {seesS3 && link('/config/s3', 'S3 Endpoints', <IconCloudUpload size={18} />)}
          {seesRemotes && link('/config/remotes', 'Remotes', <IconPlugConnected size={18} />)}
        </NavLink>
      )}
      <NavLink label="Administration" leftSection={<IconTool size={18} />} defaultOpened childrenOffset={28}>
        {link('/tasks', 'Tasks', <IconListDetails size={18} />)}
      </NavLink>
      {seesTape && link('/tape/content', 'Tape Backup', <IconDeviceFloppy size={18} />, '/tape')}
      {seesDatastores && (
        <>
          <NavLink
            component={Link}
            to="/datastore"
            label="Datastore"
            leftSection={<IconServer2 size={18} />}
            active={rootActive && pathname !== ADD_DATASTORE_PATH}
            onClick={onNavigate}
          />
          <div role="group" aria-label="Datastores" style={{ paddingLeft: 28 }}>
            {stores.map((store) => (
              <NavLink
                key={store.store}
                component={Link}
                to={datastorePath(store.store)}
                label={store.store}
                description={store.creating ? 'being created' : undefined}
                leftSection={datastoreIcon(store)}
                active={!rootActive && isActive(`/datastore/${store.store}`)}
                onClick={onNavigate}
              />
            ))}
            {mayAddDatastore && (
              <NavLink
                component={Link}
                to={ADD_DATASTORE_PATH}
                label="Add Datastore"
                leftSection={<IconDatabasePlus size={18} />}
                active={pathname === ADD_DATASTORE_PATH}
                onClick={onNavigate}
              />
            )}
          </div>
        </>
      )}
    </ScrollArea>
  );
}
