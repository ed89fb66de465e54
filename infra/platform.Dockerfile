# syntax=docker/dockerfile:1
# AirFleet platform: ingest, HTTP API, migrations, and the built web dashboard it serves at /.
# Node 24 runs the TypeScript sources directly (type stripping); only the dashboard is built (Vite).
# Build from the repository root:  docker build -f infra/platform.Dockerfile -t airfleet/platform .
ARG NODE_IMAGE=node:24-slim

# 1. Production dependencies of the platform workspace only. Only manifests are copied, so this layer
#    is rebuilt when dependencies change, not when sources do. npm needs the workspace manifests to
#    resolve the lockfile; the workspace packages themselves become symlinks in node_modules.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/contracts/package.json services/contracts/
COPY services/runtime/package.json services/runtime/
COPY services/platform/package.json services/platform/
COPY services/launcher/package.json services/launcher/
COPY gateway/package.json gateway/
COPY firmware-sim/package.json firmware-sim/
COPY tests/package.json tests/
COPY dashboard/package.json dashboard/
RUN npm ci --omit=dev --workspace services/platform --include-workspace-root=false --no-audit --no-fund \
 && npm cache clean --force

# 2. Sources of the platform (with its SQL migrations) and the workspaces it imports.
FROM deps AS app
COPY services/contracts/src services/contracts/src
COPY services/runtime/src services/runtime/src
COPY services/platform/src services/platform/src
COPY services/platform/migrations services/platform/migrations

# 3. The dashboard, built with its own dependencies (React, Vite) in a throw-away stage.
FROM ${NODE_IMAGE} AS dashboard
WORKDIR /app
COPY --from=deps /app/package.json /app/package-lock.json ./
COPY --from=deps /app/services services
COPY --from=deps /app/gateway gateway
COPY --from=deps /app/firmware-sim firmware-sim
COPY --from=deps /app/tests tests
COPY dashboard/package.json dashboard/
RUN npm ci --workspace dashboard --include-workspace-root=false --no-audit --no-fund
COPY services/contracts/src services/contracts/src
COPY dashboard dashboard
RUN npm run build --workspace dashboard

# 4. Runtime image: files owned by root and read-only for the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=app /app /app
COPY --from=dashboard /app/dashboard/dist dashboard/dist
USER node
EXPOSE 8080
CMD ["node", "services/platform/src/main.ts"]
