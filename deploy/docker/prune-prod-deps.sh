#!/bin/sh
# Removes from a production node_modules what nothing loads at run time, so the image carries less:
# better-sqlite3's SQLite sources and compiler output (only build/Release/better_sqlite3.node is
# loaded), type declarations, source maps and markdown (LICENSE files stay): 118 MB → 56 MB.
# The Dockerfile runs it; test/deploy/prod-install.test.ts runs it too and then starts the connector
# from the pruned tree, so a prune that breaks a module fails a test rather than a deployment.
set -eu
dir="${1:-node_modules}"
[ -d "$dir" ] || { echo "prune-prod-deps: no directory $dir" >&2; exit 1; }
sqlite="$dir/better-sqlite3"
rm -rf "$sqlite/deps" "$sqlite/src" "$sqlite/build/deps" \
  "$sqlite/build/Release/obj" "$sqlite/build/Release/obj.target" "$sqlite/build/Release/.deps" \
  "$sqlite/build/Release/sqlite3.a" "$sqlite/build/Release/test_extension.node"
rm -rf "$dir/@types"
find "$dir" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o \( -name '*.md' ! -iname 'license*' \) \) -delete
