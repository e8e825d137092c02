# syntax=docker/dockerfile:1
# One image for every app process (web, realtime, workers, sim, migrations); the command picks the
# process (docker-compose.yml, deploy/k8s/). Stages:
#   deps      every package (the build needs TypeScript, Next's compiler, …)
#   build     next build (public/vendor copied by the prebuild step), build cache dropped
#   prod-deps production packages only, installed clean (no dev packages, no build leftovers)
#   runtime   Node slim + prod-deps + the build + the TypeScript sources tsx runs; user `node`
# Not buildable on our own machines (no Docker engine): tests/unit/docker-compose.test.ts checks
# what it can; the same processes run natively under `npm run up`.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build && rm -rf .next/cache

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 APP_ENV=production
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/package.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/public ./public
# TypeScript sources run by tsx (web's server and API door, realtime, workers, sim, migrations);
# the pages are in .next.
COPY --from=build --chown=node:node /app/db ./db
COPY --from=build --chown=node:node /app/domain ./domain
COPY --from=build --chown=node:node /app/server ./server
COPY --from=build --chown=node:node /app/workers ./workers
COPY --from=build --chown=node:node /app/scripts ./scripts
COPY --from=build --chown=node:node /app/deploy/docker/healthcheck.mjs ./deploy/docker/healthcheck.mjs
USER node
EXPOSE 3000 3001 3002
# Each process stops gracefully on SIGTERM within 30 s (T19); give it that long (compose
# stop_grace_period, Kubernetes terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
# The web app's endpoint by default; compose and Kubernetes name each process's own.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "deploy/docker/healthcheck.mjs"]
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "server/web/main.ts", "--port", "3000"]
