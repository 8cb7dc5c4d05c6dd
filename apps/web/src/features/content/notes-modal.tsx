import { Button, Group, Loader, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { GroupRef, SnapshotRef } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { FormError } from '../../components/form-error';
import { groupKey, snapshotName } from '../../lib/datastore-paths';
import { useTRPC } from '../../lib/trpc';
import { useInvalidateContent } from './use-content-actions';

export type NotesTarget = { group: GroupRef } | { snapshot: SnapshotRef };

export function notesTargetName(target: NotesTarget): string {
  return 'snapshot' in target ? snapshotName(target.snapshot) : groupKey(target.group);
}

function NotesEditor({
  initial,
  saving,
  error,
  onSave,
  onClose,
}: {
  initial: string;
  saving: boolean;
  error: unknown;
  onSave: (notes: string) => void;
  onClose: () => void;
}) {
  const [notes, setNotes] = useState(initial);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSave(notes);
      }}
    >
      <Stack>
        <Textarea
          label="Notes"
          description="Markdown is kept as written (it is shown as plain text here). The first line is the comment."
          autosize
          minRows={6}
          maxRows={20}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-autofocus
        />
        {error != null && <FormError error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Save notes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Edit the notes of a group or snapshot (a textarea; no Markdown renderer is installed). */
export function NotesModal({
  store,
  ns,
  target,
  onClose,
}: {
  store: string;
  ns: string;
  target: NotesTarget;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateContent();
  const isSnapshot = 'snapshot' in target;
  const groupNotes = useQuery(
    trpc.group.notes.queryOptions(
      { store, ns, group: 'group' in target ? target.group : { type: 'vm', id: 'x' } },
      { enabled: !isSnapshot, staleTime: 0 },
    ),
  );
  const snapshotNotes = useQuery(
    trpc.snapshot.notes.queryOptions(
      { store, ns, snapshot: isSnapshot ? target.snapshot : { type: 'vm', id: 'x', time: 1 } },
      { enabled: isSnapshot, staleTime: 0 },
    ),
  );
  const query = isSnapshot ? snapshotNotes : groupNotes;
  const done = async () => {
    await invalidate();
    onClose();
  };
  const setGroupNotes = useMutation(
    trpc.group.setNotes.mutationOptions({ meta: { handlesErrors: true }, onSuccess: done }),
  );
  const setSnapshotNotes = useMutation(
    trpc.snapshot.setNotes.mutationOptions({ meta: { handlesErrors: true }, onSuccess: done }),
  );
  const save = (notes: string) => {
    if ('snapshot' in target) setSnapshotNotes.mutate({ store, ns, snapshot: target.snapshot, notes });
    else setGroupNotes.mutate({ store, ns, group: target.group, notes });
  };
  const mutation = isSnapshot ? setSnapshotNotes : setGroupNotes;
  return (
    <Modal opened onClose={onClose} title={`Notes of ${notesTargetName(target)}`} size="lg">
      {query.isPending && <Loader aria-label="Loading notes" />}
      {query.isError && (
        <Stack>
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
          <Text size="sm">The notes cannot be edited without reading them first.</Text>
        </Stack>
      )}
      {query.data && (
        <NotesEditor
          initial={query.data.notes}
          saving={mutation.isPending}
          error={mutation.error}
          onSave={save}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}
