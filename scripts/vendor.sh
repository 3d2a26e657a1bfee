#!/usr/bin/env bash
# Refresh static/vendor from the npm registry at the versions pinned in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json "$tmp/" && (cd "$tmp" && npm install --no-audit --no-fund --silent)
nm="$tmp/node_modules"
v() { node -p "require('$nm/$1/package.json').version"; }
V=static/vendor
rm -rf "$V"/leaflet-* "$V"/htmx-* "$V"/world-atlas-* "$V"/topojson-client-* "$V"/chartjs-* "$V"/enketo-core-*
d="$V/leaflet-$(v leaflet)"; mkdir -p "$d"; cp -r "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/dist/images" "$nm/leaflet/LICENSE" "$d/"
d="$V/htmx-$(v htmx.org)"; mkdir -p "$d"; cp "$nm/htmx.org/dist/htmx.min.js" "$nm/htmx.org/LICENSE" "$d/"
d="$V/world-atlas-$(v world-atlas)"; mkdir -p "$d"; cp "$nm/world-atlas/countries-50m.json" "$nm/world-atlas/LICENSE" "$d/"
d="$V/topojson-client-$(v topojson-client)"; mkdir -p "$d"; cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" "$d/"
d="$V/chartjs-$(v chart.js)"; mkdir -p "$d"; cp "$nm/chart.js/dist/chart.umd.min.js" "$nm/chart.js/LICENSE.md" "$d/"
# enketo-core ships only ES modules with dependencies: bundled here, once, and the bundle committed.
d="$V/enketo-core-$(v enketo-core)"; mkdir -p "$d"; node scripts/enketo/build.mjs "$nm" "$d"
echo "Vendored into $V; update the versions in templates and static/vendor/README.md if they changed."
