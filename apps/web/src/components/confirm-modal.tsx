import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

export interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** what will happen, naming the object */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  /** the action is running */
  loading?: boolean;
  /** the action failed: shown inside the dialog */
  error?: unknown;
  /** red confirm button (removals, stops); default true */
  danger?: boolean;
  /** the confirm button stays disabled until the dialog's own inputs allow it (type the name) */
  confirmDisabled?: boolean;
  size?: string;
}

/** The one confirmation dialog for destructive actions. */
export function ConfirmModal(props: ConfirmModalProps) {
  const { opened, onClose, title, children, confirmLabel, onConfirm, loading, error } = props;
  const { danger = true, confirmDisabled = false, size } = props;
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size={size}>
      <Stack>
        {typeof children === 'string' ? <Text>{children}</Text> : children}
        {error != null && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color={danger ? 'red' : undefined}
            loading={loading}
            disabled={confirmDisabled}
            onClick={onConfirm}
            data-autofocus={confirmDisabled ? undefined : true}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
