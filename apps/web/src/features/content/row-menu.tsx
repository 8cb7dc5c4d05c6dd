import { ActionIcon, Menu } from '@mantine/core';
import { IconDotsVertical } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export interface MenuAction {
  label: string;
  icon: ReactNode;
  /** what the item does; or `href`: a download link the browser streams */
  onClick?: () => void;
  href?: string;
  color?: string;
  /** a divider before this item */
  divider?: boolean;
}

/** A row's actions behind one button ("Actions for snapshot vm/100/…"), as PBS's context menu. */
export function RowMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  if (actions.length === 0) return null;
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          <IconDotsVertical size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {actions.map((action) => [
          action.divider === true ? <Menu.Divider key={`${action.label}-divider`} /> : null,
          action.href === undefined ? (
            <Menu.Item
              key={action.label}
              leftSection={action.icon}
              color={action.color}
              onClick={action.onClick}
            >
              {action.label}
            </Menu.Item>
          ) : (
            <Menu.Item
              key={action.label}
              component="a"
              href={action.href}
              download
              leftSection={action.icon}
              color={action.color}
            >
              {action.label}
            </Menu.Item>
          ),
        ])}
      </Menu.Dropdown>
    </Menu>
  );
}
