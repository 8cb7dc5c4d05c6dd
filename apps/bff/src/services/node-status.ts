/** Host health for the dashboard, read from the OS without extra tools. */
import fs from 'node:fs/promises';
import os from 'node:os';
import type { NodeStatus } from '@pbs/api-types';

interface CpuSample {
  idle: number;
  total: number;
}

function sampleCpu(): CpuSample {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** CPU usage between successive calls; the first call reports usage since boot. */
export class CpuMeter {
  private last: CpuSample = { idle: 0, total: 0 };

  usage(): number {
    const now = sampleCpu();
    const idle = now.idle - this.last.idle;
    const total = now.total - this.last.total;
    this.last = now;
    return total > 0 ? Math.min(1, Math.max(0, 1 - idle / total)) : 0;
  }
}

async function readSwap(): Promise<NodeStatus['swap']> {
  try {
    const info = await fs.readFile('/proc/meminfo', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0) * 1024;
    const total = kb('SwapTotal');
    const free = kb('SwapFree');
    return { total, free, used: total - free };
  } catch {
    return { total: 0, free: 0, used: 0 };
  }
}

export async function readNodeStatus(opts: {
  dataDir: string;
  fingerprint: string;
  cpu: CpuMeter;
  processStartedAt: number;
  now: number;
}): Promise<NodeStatus> {
  const disk = await fs.statfs(opts.dataDir);
  const total = disk.blocks * disk.bsize;
  const avail = disk.bavail * disk.bsize;
  const memTotal = os.totalmem();
  const memFree = os.freemem();
  const cpus = os.cpus();
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  return {
    hostname: os.hostname(),
    uptime: os.uptime(),
    processUptime: Math.max(0, (opts.now - opts.processStartedAt) / 1000),
    cpu: opts.cpu.usage(),
    cpuInfo: { model: cpus[0]?.model ?? 'unknown', cpus: Math.max(1, cpus.length) },
    loadavg: [l1, l5, l15],
    memory: { total: memTotal, free: memFree, used: memTotal - memFree },
    swap: await readSwap(),
    dataDir: { path: opts.dataDir, total, avail, used: total - disk.bfree * disk.bsize },
    kernel: `${os.type()} ${os.release()}`,
    nodeVersion: process.version,
    fingerprint: opts.fingerprint,
  };
}
