# Marquee: one image for the API/admin process (`npm start`) and the worker (`npm run worker`).
FROM node:20-bookworm-slim

# ffmpeg: content probing (ffprobe); build tools: native modules (argon2, better-sqlite3) when no prebuilt matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# postinstall's script (it prebuilds nothing yet: the sources come below).
COPY scripts/postinstall.mjs scripts/build-server.mjs ./scripts/
# `npm ci`: exactly the locked tree (the lockfile lists every platform's optional packages), and a
# failed build when package.json and package-lock.json disagree — as `.ci/run` installs.
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY . .
# Transpile the server (.build/) and build the AdminJS component bundle at image build time, not on
# every start (`npm start` then runs plain Node: first answer in about a second).
RUN npm run build:start && mkdir -p /app/data && chown -R node:node /app/data /app/.adminjs /app/.build

ENV NODE_ENV=production PORT=3000
EXPOSE 3000
USER node
CMD ["npm", "start"]
