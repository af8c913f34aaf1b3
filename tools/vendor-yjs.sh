#!/usr/bin/env bash
# Rebuilds web/static/vendor/yjs.mjs: Yjs and lib0 at pinned versions, bundled once by esbuild
# into one minified ES module, so the notes page needs no build step when it runs.
# Needs node and npm; run from anywhere: bash tools/vendor-yjs.sh
set -euo pipefail

YJS=13.6.33
LIB0=0.2.120
ESBUILD=0.28.2

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/web/static/vendor/yjs.mjs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund --save-exact "yjs@$YJS" "lib0@$LIB0" "esbuild@$ESBUILD"

# Only what the notes page uses, so the bundle stays small.
cat > entry.mjs <<'JS'
export {
  Doc, Text, Array, Map,
  encodeStateAsUpdate, encodeStateVector, applyUpdate, mergeUpdates,
  createRelativePositionFromTypeIndex, createAbsolutePositionFromRelativePosition,
} from "yjs";
JS

npx --no-install esbuild entry.mjs --bundle --format=esm --minify --target=es2020 \
  --legal-comments=none --outfile="$out" \
  --banner:js="/* Yjs $YJS and lib0 $LIB0 (MIT licence, see README.md beside this file); made by tools/vendor-yjs.sh */"

echo "wrote $out: $(wc -c <"$out") bytes, $(gzip -9c "$out" | wc -c) gzipped"
