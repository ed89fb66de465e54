# syntax=docker/dockerfile:1
# AirFleet MQTT gateway.
# Node 24 runs the TypeScript sources directly (type stripping): there is no build step.
# Build from the repository root:  docker build -f infra/gateway.Dockerfile -t airfleet/gateway .
ARG NODE_IMAGE=node:24-slim

# 1. Production dependencies of the gateway workspace only. Only manifests are copied, so this layer
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
RUN npm ci --omit=dev --workspace gateway --include-workspace-root=false --no-audit --no-fund \
 && npm cache clean --force

# 2. Sources of the gateway and the workspaces it imports.
FROM deps AS app
COPY services/contracts/src services/contracts/src
COPY services/runtime/src services/runtime/src
COPY gateway/src gateway/src

# 3. Runtime image: files owned by root and read-only for the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=app /app /app
USER node
EXPOSE 1883 9100
# 32 MiB V8 semi-spaces: less RSS left after a reconnect storm than V8's default, fewer pauses
# under traffic than smaller ones; the launcher uses the same (services/launcher/src/children.ts,
# GATEWAY_NODE_ARGS, which says what was measured).
CMD ["node", "--max-semi-space-size=32", "gateway/src/main.ts"]
