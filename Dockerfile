# syntax=docker/dockerfile:1
# orgtime as a container. Needs a PostgreSQL via DATABASE_URL: see docker-compose.yml.

# ---- deps: exactly the lockfile's dependencies, in a stage of their own so that a code change
# does not reinstall them (this layer only changes with package*.json).
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: tsx (the runtime) and prisma (the client generator) are among them.
RUN npm ci --omit=dev --no-audit --no-fund

# ---- web: the org-chart page, built with the dev toolchain (Vite), only its output is kept.
FROM node:20-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src/web ./src/web
RUN node_modules/.bin/tsx src/web/build.ts --force

# ---- runtime
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The Prisma client is generated, never copied in (.dockerignore drops a local
# src/generated). Done as root at build time, so the running service cannot rewrite its own code.
RUN npm run generate
COPY --from=web /app/src/web/dist ./src/web/dist
# PostgreSQL-free and unprivileged: the image's built-in `node` user (uid 1000).
USER node
ENV PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://localhost:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "src/main.ts", "serve"]
