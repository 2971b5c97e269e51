# okta-connector: a baton-compatible gRPC connector for Okta.
# Build: docker build -t okta-connector .

# 1. Build: compile TypeScript (gen/ is committed, so no buf step is needed here).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gen ./gen
COPY src ./src
RUN npm run build

# 2. Production dependencies only.
FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: node as PID 1 (it handles SIGTERM itself and drains), non-root, read-only friendly.
FROM node:22-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="okta-connector" \
      org.opencontainers.image.description="baton-compatible gRPC connector for Okta (sync and provisioning)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/okta-connector/okta-connector"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# uid 1000 is the image's "node" user; nothing is written to the filesystem at run time.
USER 1000:1000
EXPOSE 50051
ENTRYPOINT ["node", "dist/src/cli.js"]
# Loopback by default: a sidecar is reached over the pod's localhost. Expose it beyond the pod only
# with --tls-cert/--client-ca or --auth-token-file.
CMD ["serve"]
