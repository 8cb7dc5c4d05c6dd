// S3 benchmark (issue 5): ingest and restore MB/s of a datastore on S3 — s3rver on loopback in its
// own process over TLS, the engine's S3 backend with its local cache — measured by
// measureS3Throughput (@pbs/datastore/testing): 4 MiB random chunks encoded and inserted four at a
// time into a fixed index, then a restore with a cold chunk cache (every chunk fetched from the
// bucket). The local figures of the same run are datastore.mjs's insert rows. Runs in its own
// process against the built packages. How to run and read it: scripts/benchmarks/README.md ("S3").
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOptions } from './lib/options.mjs';
import { buildProjects, errorText, log, makeResultsDir, round } from './lib/util.mjs';

const MEASURE = `
import('@pbs/datastore/testing')
  .then(async (m) => {
    const r = await m.measureS3Throughput(JSON.parse(process.env.BENCH_S3_PARAMS));
    process.stdout.write('BENCH_RESULT ' + JSON.stringify(r) + '\\n');
    process.exit(0);
  })
  .catch((err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err) + '\\n');
    process.exit(1);
  });
`;

function s3Options(root, args) {
  const opts = parseOptions(root, args);
  const mb = Number(process.env.BENCH_S3_MB || (opts.quick ? 64 : 128));
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`bad BENCH_S3_MB=${process.env.BENCH_S3_MB}`);
  return { ...opts, enabled: process.env.BENCH_S3 !== '0', sizeMiB: Math.round(mb) };
}

function measure(opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', MEASURE], {
      cwd: opts.root,
      env: {
        ...process.env,
        BENCH_S3_PARAMS: JSON.stringify({ sizeMiB: opts.sizeMiB, concurrency: opts.concurrency }),
        // the AWS SDK's notice about Node 22 is not a benchmark result
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
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
          new Error(`S3 measurement failed (exit ${code}): ${err.trim().split('\n').slice(-5).join('\n')}`),
        );
    });
  });
}

function report(res) {
  if (res.ours === undefined)
    return `## S3 datastore (s3rver on loopback)\n\nnot measured: ${res.errors.ours}\n`;
  const o = res.ours;
  const r = o.requests;
  return [
    '## S3 datastore (s3rver on loopback, TLS)',
    '',
    `${round(o.bytes / 2 ** 20, 0)} MiB of random 4 MiB chunks, ${res.run.concurrency} uploads in flight; MB = 10^6 bytes.`,
    '',
    '| measurement | MB/s |',
    '|---|---|',
    `| S3 ingest (encode, PUT, cache copy) | ${round(o.ingestMBs, 1)} |`,
    `| S3 restore, cold cache (GET, decode) | ${round(o.restoreMBs, 1)} |`,
    '',
    `Requests: ${r.put} PUT, ${r.get} GET, ${r.head} HEAD, ${r.post} POST, ${r.delete} DELETE; ` +
      `${round(r.uploaded / 1e6, 1)} MB up, ${round(r.downloaded / 1e6, 1)} MB down. ` +
      'Local-filesystem figures for comparison: the insert rows of the datastore table.',
    '',
  ].join('\n');
}

export async function run({ root, args }) {
  const opts = s3Options(root, args);
  if (opts.help) {
    process.stdout.write(
      'S3 benchmark (scripts/benchmarks/s3.mjs): BENCH_S3_MB (default 128, quick 64); BENCH_S3=0 skips it\n',
    );
    return;
  }
  if (!opts.enabled) return;
  const started = new Date();
  const outDir = makeResultsDir(opts.benchWork, started, 's3');
  const res = {
    run: {
      started: started.toISOString(),
      sizeMiB: opts.sizeMiB,
      concurrency: opts.concurrency,
      nproc: os.cpus().length,
      node: process.version,
      load_avg: os.loadavg().map((x) => round(x, 2)),
    },
    errors: {},
  };
  if (opts.build)
    res.run.build = buildProjects(opts.root, ['packages/datastore'], outDir, 's3')['packages/datastore'];
  try {
    log(`S3: ingest and restore of ${opts.sizeMiB} MiB through s3rver on loopback`);
    res.ours = await measure(opts);
  } catch (err) {
    res.errors.ours = errorText(err);
    log(`ERROR: ${res.errors.ours}`);
  }
  res.run.duration_s = round((Date.now() - started.getTime()) / 1000, 1);
  const text = `${report(res)}\nRun time ${res.run.duration_s} s; results in ${outDir}\n`;
  fs.writeFileSync(path.join(outDir, 's3.json'), `${JSON.stringify(res, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'report.md'), text);
  process.stdout.write(`\n${text}`);
  if (Object.keys(res.errors).length > 0) process.exitCode = 1;
}
