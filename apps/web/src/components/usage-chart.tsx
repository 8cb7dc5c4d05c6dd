import { Box, Text, useMantineTheme } from '@mantine/core';
import { useId, useState, type MouseEvent } from 'react';
import { usageColor } from './task-state-colors';
import { formatBytes, formatPercent } from '../lib/format';

export interface UsagePoint {
  /** epoch seconds */
  time: number;
  total: number;
  used: number;
}

export interface UsageChartProps {
  points: readonly UsagePoint[];
  /** accessible name of the chart */
  label: string;
  height?: number;
  /** a sparkline: no axes, no hover read-out */
  compact?: boolean;
}

const WIDTH = 600;
const PAD = { left: 40, right: 8, top: 8, bottom: 20 };

function shortDate(epoch: number): string {
  const d = new Date(epoch * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Usage (used / total) over time as an area chart, drawn as inline SVG (no chart library is
 * installed). The y axis is 0–100 %; hovering shows the nearest point.
 */
export function UsageChart({ points, label, height = 160, compact = false }: UsageChartProps) {
  const theme = useMantineTheme();
  const gradientId = useId();
  const [hover, setHover] = useState<number | null>(null);
  const sorted = [...points].sort((a, b) => a.time - b.time);
  const last = sorted[sorted.length - 1];
  const first = sorted[0];
  if (first === undefined || last === undefined || sorted.length < 2) {
    return (
      <Text size="sm" c="dimmed" role="img" aria-label={`${label}: not enough data yet`}>
        Not enough history yet: usage is recorded over time.
      </Text>
    );
  }
  const pad = compact ? { left: 0, right: 0, top: 2, bottom: 2 } : PAD;
  const innerW = WIDTH - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const span = Math.max(1, last.time - first.time);
  const fraction = (p: UsagePoint) => (p.total > 0 ? Math.min(1, p.used / p.total) : 0);
  const x = (t: number) => pad.left + ((t - first.time) / span) * innerW;
  const y = (f: number) => pad.top + (1 - f) * innerH;
  const line = sorted.map(
    (p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(fraction(p)).toFixed(1)}`,
  );
  const area = `${line.join(' ')} L${x(last.time).toFixed(1)},${y(0)} L${x(first.time).toFixed(1)},${y(0)} Z`;
  const colorName = usageColor(fraction(last));
  const color = theme.colors[colorName]?.[6] ?? colorName;
  const hovered = hover === null ? undefined : sorted[hover];

  const onMove = (event: MouseEvent<SVGSVGElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const vx = ((event.clientX - rect.left) / rect.width) * WIDTH;
    const time = first.time + ((vx - pad.left) / innerW) * span;
    let best = 0;
    for (let i = 1; i < sorted.length; i++) {
      const cur = sorted[i];
      const prev = sorted[best];
      if (cur && prev && Math.abs(cur.time - time) < Math.abs(prev.time - time)) best = i;
    }
    setHover(best);
  };

  return (
    <Box pos="relative">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        height={height}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: ${formatPercent(fraction(last))} used on ${shortDate(last.time)}, since ${shortDate(first.time)}`}
        onMouseMove={compact ? undefined : onMove}
        onMouseLeave={() => setHover(null)}
        style={{ display: 'block', overflow: 'visible' }}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor={color} stopOpacity={0.45} />
            <stop offset="100%" stopColor={color} stopOpacity={0.05} />
          </linearGradient>
        </defs>
        {!compact &&
          [0, 0.5, 1].map((f) => (
            <g key={f}>
              <line
                x1={pad.left}
                x2={WIDTH - pad.right}
                y1={y(f)}
                y2={y(f)}
                stroke="currentColor"
                strokeOpacity={0.15}
                vectorEffect="non-scaling-stroke"
              />
              <text
                x={pad.left - 6}
                y={y(f) + 4}
                fontSize={11}
                textAnchor="end"
                fill="currentColor"
                opacity={0.6}
              >
                {f * 100}%
              </text>
            </g>
          ))}
        <path d={area} fill={`url(#${gradientId})`} />
        <path
          d={line.join(' ')}
          fill="none"
          stroke={color}
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
        />
        {!compact && (
          <>
            <text x={pad.left} y={height - 4} fontSize={11} fill="currentColor" opacity={0.6}>
              {shortDate(first.time)}
            </text>
            <text
              x={WIDTH - pad.right}
              y={height - 4}
              fontSize={11}
              textAnchor="end"
              fill="currentColor"
              opacity={0.6}
            >
              {shortDate(last.time)}
            </text>
          </>
        )}
        {hovered !== undefined && (
          <line
            x1={x(hovered.time)}
            x2={x(hovered.time)}
            y1={pad.top}
            y2={y(0)}
            stroke="currentColor"
            strokeOpacity={0.5}
            vectorEffect="non-scaling-stroke"
          />
        )}
      </svg>
      {hovered !== undefined && (
        <Text size="xs" c="dimmed" aria-live="polite">
          {shortDate(hovered.time)}: {formatBytes(hovered.used)} of {formatBytes(hovered.total)} (
          {formatPercent(fraction(hovered))})
        </Text>
      )}
    </Box>
  );
}
