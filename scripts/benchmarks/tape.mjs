// Tape benchmark (issue 7): tape backup and restore MB/s through the tape engine and a virtual
// tape library (files on the local disk, tapes of about half the data so the media set spans
// tapes), next to the datastore read speed measured in the same run (every chunk of the same
// snapshot loaded and decoded). Measured by measureTapeThroughput (@pbs/tape/testing) in its own
// process against the built packages. How to run and read it: scripts/benchmarks/README.md ("Tape").
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOptions } from './lib/options.mjs';
import { buildProjects, errorText, log, makeResultsDir, round } from './lib/util.mjs';

const MEASURE = `
import('@pbs/tape/testing')
  .then(async (m) => {
    const r = await m.measureTapeThroughput(JSON.parse(process.env.BENCH_TAPE_PARAMS));
    process.stdout.write('BENCH_RESULT ' + JSON.stringify(r) + '\\n');
    process.exit(0);
  })
  .catch((err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err) + '\\n');
    process.exit(1);
  });
`;

function tapeOptions(root, args) {
  const opts = parseOptions(root, args);
  const mb = Number(process.env.BENCH_TAPE_MB || (opts.quick ? 64 : 256));
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`bad BENCH_TAPE_MB=${process.env.BENCH_TAPE_MB}`);
  return { ...opts, enabled: process.env.BENCH_TAPE !== '0', sizeMiB: Math.round(mb) };
}

function measure(opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', MEASURE], {
      cwd: opts.root,
      env: { ...process.env, BENCH_TAPE_PARAMS: JSON.stringify({ sizeMiB: opts.sizeMiB }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('BENCH_RESULT '.length)));
      else
        reject(
          new Error(`tape measurement failed (exit ${code}): ${err.trim().split('\n').slice(-5).join('\n')}`),
        );
    });
  });
}

function report(res) {
  if (res.ours === undefined) return `## Tape (virtual library)\n\nnot measured: ${res.errors.ours}\n`;
  const o = res.ours;
  const ratio = (x) => round(x / o.datastoreReadMBs, 2);
  return [
    '## Tape (virtual library on the local disk)',
    '',
    `${round(o.bytes / 2 ** 20, 0)} MiB of random 4 MiB chunks in one snapshot; the media set took ${o.tapes} tapes; MB = 10^6 bytes.`,
    '',
    '| measurement | MB/s | ÷ datastore read |',
    '|---|---|---|',
    `| datastore read (load and decode every chunk) | ${round(o.datastoreReadMBs, 1)} | 1 |`,
    `| tape backup (chunk archives, snapshot archive, catalogs) | ${round(o.backupMBs, 1)} | ${ratio(o.backupMBs)} |`,
    `| tape restore (chunks checked and inserted, snapshot imported) | ${round(o.restoreMBs, 1)} | ${ratio(o.restoreMBs)} |`,
    '',
  ].join('\n');
}

export async function run({ root, args }) {
  const opts = tapeOptions(root, args);
  if (opts.help) {
    process.stdout.write(
      'Tape benchmark (scripts/benchmarks/tape.mjs): BENCH_TAPE_MB (default 256, quick 64); BENCH_TAPE=0 skips it\n',
    );
    return;
  }
  if (!opts.enabled) return;
  const started = new Date();
  const outDir = makeResultsDir(opts.benchWork, started, 'tape');
  const res = {
    run: {
      started: started.toISOString(),
      sizeMiB: opts.sizeMiB,
      nproc: os.cpus().length,
      node: process.version,
      load_avg: os.loadavg().map((x) => round(x, 2)),
    },
    errors: {},
  };
  if (opts.build)
    res.run.build = buildProjects(opts.root, ['packages/tape'], outDir, 'tape')['packages/tape'];
  try {
    log(`tape: backup and restore of ${opts.sizeMiB} MiB through a virtual tape library`);
    res.ours = await measure(opts);
  } catch (err) {
    res.errors.ours = errorText(err);
    log(`ERROR: ${res.errors.ours}`);
  }
  res.run.duration_s = round((Date.now() - started.getTime()) / 1000, 1);
  const text = `${report(res)}\nRun time ${res.run.duration_s} s; results in ${outDir}\n`;
  fs.writeFileSync(path.join(outDir, 'tape.json'), `${JSON.stringify(res, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'report.md'), text);
  process.stdout.write(`\n${text}`);
  if (Object.keys(res.errors).length > 0) process.exitCode = 1;
}
