#!/usr/bin/env bash
# Page benchmark: a topic page served by the site, against the same bytes saved as a static file and served
# (a) by the site's own static-file middleware and (b) by nginx, all measured with wrk in the same run.
# Needs: wrk and nginx (apt-get install wrk nginx-light). Only 127.0.0.1 is contacted.
#   tests/PaperCatalog.Benchmarks/web-bench.sh [path=/topics/attention] [seconds=10] [connections=32] [other-path...]
# Each other path (e.g. '/search?q=attention') is measured in the same run and reported as a ratio to the page.
# The floor: a bare Kestrel app (floor/floor.cs) writing the same bytes from memory, no middleware: what any ASP.NET Core
# answer costs here, so how near the cached page can come to nginx at all.
# Every target is warmed until two 3-second rounds agree within 5%, then ROUNDS (3) interleaved rounds; medians.
# BASE_SRC=/tmp/base (another checkout, e.g. main before a change) also serves the page from that build on its own copy
# of the store, measured in the same rounds, with the ratios of this build's page to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
path=${1:-/topics/attention}
seconds=${2:-10}
conns=${3:-32}
others=("${@:4}")
work=$(mktemp -d /tmp/papercatalog-web-bench.XXXXXX)
site_port=5080
nginx_port=5081
floor_port=5082
base_port=5083
base_src=${BASE_SRC:-}
cleanup() {
  [ -n "${site_pid:-}" ] && kill "$site_pid" 2>/dev/null || true
  [ -n "${base_pid:-}" ] && kill "$base_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "${floor_pid:-}" ] && kill "$floor_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for port in $site_port $nginx_port $floor_port $base_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use" >&2; exit 1; fi
done
dotnet publish src/PaperCatalog.Web -c Release -o "$work/site" --nologo -v quiet >/dev/null
(cd "$work/site" && export Catalog__Database="$work/catalog.db" ASPNETCORE_URLS="http://127.0.0.1:$site_port" \
  Logging__LogLevel__Default=Warning && exec dotnet PaperCatalog.Web.dll >"$work/site.log" 2>&1) &
site_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$site_port/" >/dev/null && break; sleep 0.2; done
if [ -n "$base_src" ]; then
  dotnet publish "$base_src/src/PaperCatalog.Web" -c Release -o "$work/base" --nologo -v quiet >/dev/null
  (cd "$work/base" && export Catalog__Database="$work/base.db" ASPNETCORE_URLS="http://127.0.0.1:$base_port" \
    Logging__LogLevel__Default=Warning && exec dotnet PaperCatalog.Web.dll >"$work/base.log" 2>&1) &
  base_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$base_port/" >/dev/null && break; sleep 0.2; done
fi

mkdir -p "$work/site/wwwroot/bench"
curl -sf "http://127.0.0.1:$site_port$path" >"$work/site/wwwroot/bench/page.html"
bytes=$(wc -c <"$work/site/wwwroot/bench/page.html")

cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  gzip on; gzip_comp_level 1; gzip_min_length 256;  # text/html is always compressed when gzip is on
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site/wwwroot;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5
dotnet build -c Release tests/PaperCatalog.Benchmarks/floor/floor.cs --nologo -v quiet >/dev/null
dotnet run -c Release --no-build tests/PaperCatalog.Benchmarks/floor/floor.cs -- "$work/site/wwwroot/bench/page.html" "http://127.0.0.1:$floor_port" >"$work/floor.log" 2>&1 &
floor_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$floor_port/" >/dev/null && break; sleep 0.2; done

# A fresh query string on every request: the output cache varies by query, so each request renders the page.
cat >"$work/uncached.lua" <<'LUA'
local n = 0
request = function() n = n + 1; return wrk.format(nil, wrk.path .. "?uncached=" .. n .. "-" .. math.random(1e9)) end
LUA

site="http://127.0.0.1:$site_port"
ngx="http://127.0.0.1:$nginx_port"
floor="http://127.0.0.1:$floor_port"
gz=(-H "Accept-Encoding: gzip")
# name | url | extra wrk arguments
targets=(
  "page|$site$path|"
  "page, gzip|$site$path|gzip"
  "page, uncached|$site$path|uncached"
  "site static file|$site/bench/page.html|"
  "nginx static file|$ngx/bench/page.html|"
  "nginx static file, gzip|$ngx/bench/page.html|gzip"
  "kestrel floor|$floor/|"
  "kestrel floor, gzip|$floor/|gzip"
)
if [ -n "$base_src" ]; then
  base="http://127.0.0.1:$base_port"
  targets+=("base page|$base$path|" "base page, gzip|$base$path|gzip" "base page, uncached|$base$path|uncached")
fi
for other in "${others[@]}"; do targets+=("$other|$site$other|"); done

rate() { # url, extra, seconds
  local args=(-t1 -c"$conns" -d"$3s")
  case "$2" in gzip) args+=("${gz[@]}") ;; uncached) args+=(-s "$work/uncached.lua") ;; esac
  wrk "${args[@]}" "$1" | awk '/Requests\/sec/ { print $2 }'
}
# Warm-up: 3-second rounds until two in a row agree within 5% (tiered JIT on a slow machine needs far more than 2 s).
for t in "${targets[@]}"; do
  IFS='|' read -r name url extra <<<"$t"
  prev=$(rate "$url" "$extra" 3)
  for i in $(seq 1 "${WARMUP_ROUNDS:-12}"); do
    cur=$(rate "$url" "$extra" 3)
    if awk -v a="$prev" -v b="$cur" 'BEGIN { d = (a > b ? a - b : b - a) / (a > b ? a : b); exit !(d <= 0.05) }'; then break; fi
    prev=$cur
  done
  echo "warm: $name after $((i + 1)) rounds ($cur req/s)" >&2
done
# Measured rounds, interleaved (every target once per round), median of ROUNDS (default 3).
rounds=${ROUNDS:-3}
declare -A results
for r in $(seq 1 "$rounds"); do
  for t in "${targets[@]}"; do
    IFS='|' read -r name url extra <<<"$t"
    results[$name]+="$(rate "$url" "$extra" "$seconds") "
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
declare -A m
for t in "${targets[@]}"; do IFS='|' read -r name _ _ <<<"$t"; m[$name]=$(median "${results[$name]}"); done

echo "page $path: $bytes bytes; wrk -t1 -c$conns -d${seconds}s on $(nproc) cores; median of $rounds interleaved rounds"
for t in "${targets[@]}"; do
  IFS='|' read -r name _ _ <<<"$t"
  printf '%-28s %12s req/s   (rounds: %s)\n' "$name" "${m[$name]}" "${results[$name]}"
done
ratio() { awk -v a="$2" -v b="$3" -v name="$1" 'BEGIN { printf "%-52s %.2f\n", name, a / b }'; }
ratio "page / nginx static file (goal >= 0.70):" "${m[page]}" "${m[nginx static file]}"
ratio "page, gzip / nginx static file, gzip (goal >= 0.70):" "${m[page, gzip]}" "${m[nginx static file, gzip]}"
ratio "page, uncached / site static file (goal >= 0.50):" "${m[page, uncached]}" "${m[site static file]}"
ratio "page / site static file:" "${m[page]}" "${m[site static file]}"
ratio "kestrel floor / nginx static file:" "${m[kestrel floor]}" "${m[nginx static file]}"
ratio "kestrel floor, gzip / nginx static file, gzip:" "${m[kestrel floor, gzip]}" "${m[nginx static file, gzip]}"
ratio "page / kestrel floor:" "${m[page]}" "${m[kestrel floor]}"
ratio "page, gzip / kestrel floor, gzip:" "${m[page, gzip]}" "${m[kestrel floor, gzip]}"
if [ -n "$base_src" ]; then
  ratio "page / base page:" "${m[page]}" "${m[base page]}"
  ratio "page, gzip / base page, gzip:" "${m[page, gzip]}" "${m[base page, gzip]}"
  ratio "page, uncached / base page, uncached:" "${m[page, uncached]}" "${m[base page, uncached]}"
  ratio "base page / nginx static file:" "${m[base page]}" "${m[nginx static file]}"
  ratio "base page, gzip / nginx static file, gzip:" "${m[base page, gzip]}" "${m[nginx static file, gzip]}"
  ratio "base page, uncached / site static file:" "${m[base page, uncached]}" "${m[site static file]}"
fi
for other in "${others[@]}"; do ratio "$other / page:" "${m[$other]}" "${m[page]}"; done
