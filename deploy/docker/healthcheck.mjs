// Container health check for the app image: GET one health endpoint, exit 0 if it answers 2xx.
//   node deploy/docker/healthcheck.mjs [url]      (default: the web app's /api/health)
// Plain Node (no curl in the image); each process's endpoint checks PostgreSQL and Redis.
const url = process.argv[2] ?? 'http://127.0.0.1:3000/api/health';
fetch(url, { signal: AbortSignal.timeout(2_500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
