# okta-connector: a baton-compatible gRPC connector for Okta, as a small, non-root, read-only image.
#   docker build -t okta-connector .
#   docker run --read-only -e BATON_DOMAIN=acme.okta.com -v ./token:/run/secrets/okta/api-token:ro \
#     okta-connector serve --api-token-file /run/secrets/okta/api-token --health-listen 0.0.0.0:8081
# deploy/kubernetes/ runs it as a native sidecar; README "Deploy to Kubernetes" explains the flags.

# Node.js 24 is the active LTS line. Build, dependency and runtime stages use the same major, so the
# better-sqlite3 addon compiled or downloaded in prod-deps matches the runtime's ABI.
ARG NODE_MAJOR=24

# 1. Build: compile TypeScript. gen/ is committed, so no buf step is needed.
FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gen ./gen
COPY src ./src
RUN npm run build

# 2. Production dependencies only, then pruned. The full bookworm image has python3, make and g++,
#    in case better-sqlite3 finds no prebuilt binary for this platform and compiles from source.
FROM node:${NODE_MAJOR}-bookworm AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY deploy/docker/prune-prod-deps.sh /usr/local/bin/prune-prod-deps
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && prune-prod-deps node_modules

# 3. Runtime: node as PID 1 (it handles SIGTERM itself and drains), uid 1000, nothing written to disk.
FROM node:${NODE_MAJOR}-bookworm-slim AS runtime
ARG NODE_MAJOR
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="okta-connector" \
      org.opencontainers.image.description="baton-compatible gRPC connector for Okta: sync users, groups, apps and admin roles; provision access" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/okta-connector/okta-connector" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_MAJOR}-bookworm-slim"
# npm, npx, corepack and yarn are not used at run time. Removed here they no longer run or show up in
# an image scan of the final filesystem (their bytes stay in the base layer).
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/gen ./dist/gen
COPY package.json ./
# The image's "node" user, numeric so that the kubelet can enforce runAsNonRoot. Every file above is
# root-owned and read-only to it, which is what a readOnlyRootFilesystem needs.
USER 1000:1000
# 50051: the connector (loopback by default; a sidecar is reached over the pod's localhost).
# 8081: --health-listen, for the kubelet's gRPC probe. 9464: --metrics-listen, for Prometheus.
EXPOSE 50051 8081 9464
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
