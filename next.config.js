import { createRequire } from 'node:module';

// The same list serves server/web/content-security-policy.ts (staticSecurityHeaders).
const staticSecurityHeaders = createRequire(import.meta.url)('./server/web/static-security-headers.json');

// Node-only packages stay outside the bundle: they open sockets, load native addons or read files.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['kafkajs', 'bullmq', 'ioredis', 'pg', '@node-rs/argon2', 'pino', 'prom-client'],
  // Types are checked once for the whole repository by `tsc` (npm run check / npm test);
  // checking again inside next build would only add time and couple the build to test files.
  typescript: { ignoreBuildErrors: true },
  // forbidden() answers 403 for signed-in users without the role (app/forbidden.tsx).
  experimental: { authInterrupts: true },
  // The per-page CSP with its nonce is set by proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: staticSecurityHeaders,
      },
    ];
  },
};

export default nextConfig;
