#!/usr/bin/env bash
# `npm run build`: the production build, then what Next leaves to the deployer for `output: "standalone"`: the
# standalone server serves `<distDir>/static` and `public/` only when they sit beside it. Source maps are removed from
# the standalone output (the deployable artefact, the container image's only content). Afterwards
# `node <distDir>/standalone/server.js` runs the console alone (it is what the container image and the e2e suite run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
export NEXT_TELEMETRY_DISABLED=1

dist="${NEXT_DIST_DIR:-.next}"
next build
rm -rf "$dist/standalone/$dist/static"
cp -R "$dist/static" "$dist/standalone/$dist/static"
if [ -d public ]; then rm -rf "$dist/standalone/public" && cp -R public "$dist/standalone/public"; fi
find "$dist/standalone" -name "*.map" -type f -delete
