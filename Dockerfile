# syntax=docker/dockerfile:1
# One image for every app process (web, realtime, workers, sim); the command picks the process.
# Not buildable on our own machines (no Docker engine): CI checks docker-compose.yml instead.

FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20.20.2-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 APP_ENV=production
COPY --from=build --chown=node:node /app/package.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/app ./app
COPY --from=build --chown=node:node /app/components ./components
COPY --from=build --chown=node:node /app/db ./db
COPY --from=build --chown=node:node /app/domain ./domain
COPY --from=build --chown=node:node /app/server ./server
COPY --from=build --chown=node:node /app/workers ./workers
USER node
EXPOSE 3000 3001 3002
CMD ["node_modules/.bin/next", "start"]
