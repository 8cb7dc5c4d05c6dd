/*
 * The program of the s3rver child process, as source text run with `node -e`: a plain script
 * needs no build step and no TypeScript loader, and works the same from src and dist. Its one
 * argument is JSON: { s3rver, directory, port, key, cert, bucket }. It prints one JSON line
 * `{"port": n}` once listening, and exits when its stdin closes (the parent is gone).
 *
 * It adds what s3rver lacks: `If-None-Match: *` on PUT (s3rver ignores it and overwrites;
 * real S3 answers 412), as a Koa middleware in front of s3rver's router.
 */
export const S3RVER_CHILD_SOURCE = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const args = JSON.parse(process.argv[1]);
const S3rver = require(args.s3rver);
const S3Error = require(path.join(path.dirname(args.s3rver), 'models', 'error.js'));
const srv = new S3rver({
  address: '127.0.0.1',
  port: args.port,
  silent: true,
  directory: args.directory,
  key: fs.readFileSync(args.key),
  cert: fs.readFileSync(args.cert),
  configureBuckets: [{ name: args.bucket }],
});
async function ifNoneMatch(ctx, next) {
  if (ctx.method === 'PUT' && ctx.get('if-none-match') === '*' && !ctx.get('x-amz-copy-source')) {
    const parts = ctx.path.split('/').slice(1);
    const bucket = decodeURIComponent(parts[0] || '');
    const key = parts.slice(1).map(decodeURIComponent).join('/');
    if (bucket && key && (await srv.store.existsObject(bucket, key))) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
        Condition: 'If-None-Match',
      });
    }
  }
  return next();
}
srv.middleware.splice(srv.middleware.length - 1, 0, ifNoneMatch);
srv.run().then(
  (addr) => process.stdout.write(JSON.stringify({ port: addr.port }) + '\n'),
  (err) => { process.stderr.write(String(err && err.stack || err) + '\n'); process.exit(1); },
);
process.on('SIGTERM', () => process.exit(0));
// the parent holds our stdin open: when it dies (even by SIGKILL) we go too
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
`;
