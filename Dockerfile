# syntax=docker/dockerfile:1
# memlint GitHub App. Build:  docker build -t memlint .
# Run:    docker run -p 3000:3000 --env-file .env memlint
# See docs/app.md ("Deployment") for the environment variables and what was checked of this file.

# Node 24, the Active LTS line (memlint also runs on 22 and on 20, which reached end of life).
ARG NODE_VERSION=24

# --- build: all dependencies, TypeScript → dist/ ------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# The repository is an npm workspace: the root package is the CLI, app/package.json lists what
# the App's server needs at run time.
COPY package.json package-lock.json ./
COPY app/package.json ./app/
# --ignore-scripts: the package's own "prepare" script would build before the sources are here,
# and tree-sitter-go's install script would compile the native binding memlint does not use
# (it parses with web-tree-sitter and the grammar's wasm).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The App only: `npm run build` would also bundle the CLI, which the image does not run.
RUN npx tsc -p tsconfig.build.json

# --- runtime: the App's dependencies and the build output ------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# The old-space limit is what `npm start` sets too: memlint's live data stays far below it, and a
# known limit keeps V8 from letting garbage pile up to hundreds of MB between collections (see the
# memory rows of `npm run bench`). Raise it with NODE_OPTIONS for very large pull requests.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    NODE_OPTIONS=--max-old-space-size=512
WORKDIR /app
COPY package.json package-lock.json ./
COPY app/package.json ./app/
# The memlint-app workspace's dependencies alone: Probot, ioredis and what the engine uses.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace memlint-app && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time: the App manifest. (The configuration's schema is compiled into dist/.)
COPY app.yml ./
# The parser needs both wasm files; fail the build if a dependency change drops one.
RUN test -f node_modules/tree-sitter-go/tree-sitter-go.wasm \
 && test -f node_modules/web-tree-sitter/tree-sitter.wasm \
 && test -f node_modules/probot/package.json \
 && test -f dist/main.js
USER node
EXPOSE 3000
# No curl in slim images: Node's fetch against the App's own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
