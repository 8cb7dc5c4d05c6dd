import { ActionIcon, Box, Group, Loader, NavLink, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconFolder, IconFolderOpen } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { MAX_NAMESPACE_DEPTH } from '@pbs/api-types';
import { ErrorAlert } from '../../components/error-alert';
import { contentPath, namespaceDepth, namespaceLabel } from '../../lib/datastore-paths';
import { useTRPC } from '../../lib/trpc';

function ancestors(ns: string): string[] {
  const parts = ns === '' ? [] : ns.split('/');
  return parts.map((_, i) => parts.slice(0, i).join('/'));
}

interface NodeProps {
  store: string;
  ns: string;
  selected: string;
  expanded: ReadonlySet<string>;
  toggle: (ns: string) => void;
  /** false when the parent's listing showed no children */
  mayHaveChildren: boolean;
}

/**
 * One namespace and, once expanded, its children: listed lazily, two levels at a time, so
 * each child knows whether it has children of its own.
 */
function NamespaceNode({ store, ns, selected, expanded, toggle, mayHaveChildren }: NodeProps) {
  const trpc = useTRPC();
  const depth = namespaceDepth(ns);
  const open = expanded.has(ns);
  const canNest = depth < MAX_NAMESPACE_DEPTH;
  const children = useQuery(
    trpc.namespace.list.queryOptions(
      { store, parent: ns, maxDepth: Math.min(2, MAX_NAMESPACE_DEPTH - depth) },
      { enabled: open && canNest && mayHaveChildren },
    ),
  );
  const items = children.data ?? [];
  const direct = items.filter((item) => namespaceDepth(item.ns) === depth + 1);
  const label = ns === '' ? namespaceLabel(ns) : (ns.split('/').pop() ?? ns);
  const showToggle = canNest && mayHaveChildren;
  return (
    <Box>
      <Group gap={2} wrap="nowrap" pl={depth * 14}>
        {showToggle ? (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`${open ? 'Collapse' : 'Expand'} namespace ${namespaceLabel(ns)}`}
            aria-expanded={open}
            onClick={() => toggle(ns)}
          >
            {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          </ActionIcon>
        ) : (
          <Box w={22} />
        )}
        <NavLink
          component={Link}
          to={contentPath(store, { ns })}
          label={label}
          title={namespaceLabel(ns)}
          aria-label={`Namespace ${namespaceLabel(ns)}`}
          leftSection={selected === ns ? <IconFolderOpen size={16} /> : <IconFolder size={16} />}
          active={selected === ns}
          aria-current={selected === ns ? 'page' : undefined}
          py={4}
          style={{ flex: 1, minWidth: 0 }}
        />
      </Group>
      {open && children.isPending && showToggle && (
        <Loader size="xs" ml={depth * 14 + 30} aria-label="Loading namespaces" />
      )}
      {open && children.isError && (
        <ErrorAlert error={children.error} onRetry={() => void children.refetch()} />
      )}
      {open &&
        direct.map((child) => (
          <NamespaceNode
            key={child.ns}
            store={store}
            ns={child.ns}
            selected={selected}
            expanded={expanded}
            toggle={toggle}
            mayHaveChildren={items.some((item) => item.ns.startsWith(`${child.ns}/`))}
          />
        ))}
      {open && children.data !== undefined && direct.length === 0 && ns === '' && (
        <Text size="xs" c="dimmed" pl={36}>
          No namespaces below the root.
        </Text>
      )}
    </Box>
  );
}

/** The namespace tree of a datastore; the selected namespace's ancestors start expanded. */
export function NamespaceTree({ store, selected }: { store: string; selected: string }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['', ...ancestors(selected)]));
  const [seen, setSeen] = useState(selected);
  if (seen !== selected) {
    // a deep link or a moved namespace: open the way to it
    setSeen(selected);
    setExpanded((current) => new Set([...current, ...ancestors(selected)]));
  }
  const toggle = (ns: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(ns)) next.delete(ns);
      else next.add(ns);
      return next;
    });
  return (
    <Box component="nav" aria-label="Namespaces">
      <NamespaceNode
        store={store}
        ns=""
        selected={selected}
        expanded={expanded}
        toggle={toggle}
        mayHaveChildren
      />
    </Box>
  );
}
