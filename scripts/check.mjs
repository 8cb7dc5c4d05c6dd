// `npm test`: every check in order — versions, format, typecheck, lint, unit and integration
// tests, build, end-to-end — continuing past failures so one run reports everything. The last
// line sums them all: `N passed, N failed` (each check counts one, each test case one).
import fs from 'node:fs';
import path from 'node:path';
import { ensureInstalled, root, run } from './lib.mjs';

const withE2e = !process.argv.includes('--no-e2e');
const resultsDir = path.join(root, '.vitest-results');
const totals = { passed: 0, failed: 0 };
const lines = [];

function record(name, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${failed === 0 ? 'ok  ' : 'FAIL'} ${name}: ${passed} passed, ${failed} failed`);
}

async function step(name, command, args, opts) {
  process.stdout.write(`\n=== ${name}\n`);
  const code = await run(command, args, opts);
  record(name, code === 0 ? 1 : 0, code === 0 ? 0 : 1);
  return code === 0;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

async function vitest() {
  process.stdout.write('\n=== unit and integration tests (vitest)\n');
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, 'vitest.json');
  fs.rmSync(out, { force: true });
  const code = await run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = readJson(out);
  if (report === null) return record('vitest', 0, 1);
  const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
  record('vitest', report.numPassedTests, failed);
}

async function playwright() {
  process.stdout.write('\n=== end-to-end tests (playwright, Debian chromium)\n');
  const out = path.join(resultsDir, 'playwright.json');
  fs.rmSync(out, { force: true });
  const code = await run('npx', ['playwright', 'test', '--reporter=list,json'], {
    cwd: path.join(root, 'e2e'),
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: out, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  const report = readJson(out);
  if (report === null) return record('e2e', 0, 1);
  const { expected = 0, unexpected = 0, flaky = 0 } = report.stats ?? {};
  record('e2e', expected + flaky, unexpected + (code !== 0 && unexpected === 0 ? 1 : 0));
}

await ensureInstalled();
await step('single Mantine and tRPC versions', 'node', ['scripts/check-single-versions.mjs']);
await step('format (prettier)', 'npx', ['prettier', '--check', '--log-level=warn', '.']);
const typed = await step('typecheck (tsc -b, web)', 'npm', ['run', '--silent', 'typecheck']);
await step('lint (eslint)', 'npx', ['eslint', '--max-warnings=0', '.']);
await vitest();
if (withE2e) {
  const built = typed && (await step('build web app', 'npm', ['run', '--silent', 'build', '-w', '@pbs/web']));
  if (built) await playwright();
  else record('e2e (skipped: build failed)', 0, 1);
}

process.stdout.write(`\n=== summary\n${lines.join('\n')}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed === 0 ? 0 : 1);
