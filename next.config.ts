import type { NextConfig } from "next";
import { MAX_REQUEST_BYTES } from "./lib/request-limits";

// Security headers on every response (QUALITY.md). The Content-Security-Policy (with its per-request script nonce) and
// HSTS are set by proxy.ts; these are the same for every response, static files included.
const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `next build` also writes <distDir>/standalone: server.js plus only the node_modules files the server needs, so the
  // production console runs alone (`node .next/standalone/server.js`, the container image, the e2e suite).
  // scripts/build.sh copies the static assets beside it, as Next leaves that to the deployer.
  output: "standalone",
  // Separate build folders let several builds (e.g. parallel e2e runs) share one checkout.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // forbidden() / unauthorized() render app/forbidden.tsx for a signed-in user whose role is too weak.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: MAX_REQUEST_BYTES } },
  // `npm test` type-checks the whole repository with `tsc --noEmit` before building; a second check inside
  // `next build` would only double the build time on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["better-sqlite3", "pg", "@node-rs/argon2"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
