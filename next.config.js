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
  // Kept in step with server/web/content-security-policy.ts (staticSecurityHeaders); the per-page
  // CSP with its nonce is set by proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'geolocation=(self), camera=(), microphone=(), payment=()' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
        ],
      },
    ];
  },
};

export default nextConfig;
