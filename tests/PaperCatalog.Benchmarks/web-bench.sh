#!/usr/bin/env bash
# Page benchmark: a topic page served by the site, against the same bytes saved as a static file and served
# (a) by the site's own static-file middleware and (b) by nginx, all measured with wrk in the same run.
# Needs: wrk and nginx (apt-get install wrk nginx-light). Only 127.0.0.1 is contacted.
#   tests/PaperCatalog.Benchmarks/web-bench.sh [path=/topics/attention] [seconds=10] [connections=32] [other-path...]
# Each other path (e.g. '/search?q=attention') is measured in the same run and reported as a ratio to the page.
set -euo pipefail
cd "$(dirname "$0")/../.."
path=${1:-/topics/attention}
seconds=${2:-10}
conns=${3:-32}
others=("${@:4}")
work=$(mktemp -d /tmp/papercatalog-web-bench.XXXXXX)
site_port=5080
nginx_port=5081
cleanup() {
  [ -n "${site_pid:-}" ] && kill "$site_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for port in $site_port $nginx_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use" >&2; exit 1; fi
done
dotnet publish src/PaperCatalog.Web -c Release -o "$work/site" --nologo -v quiet >/dev/null
(cd "$work/site" && export Catalog__Database="$work/catalog.db" ASPNETCORE_URLS="http://127.0.0.1:$site_port" \
  Logging__LogLevel__Default=Warning && exec dotnet PaperCatalog.Web.dll >"$work/site.log" 2>&1) &
site_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$site_port/" >/dev/null && break; sleep 0.2; done

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
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site/wwwroot;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5

rate() { wrk -t1 -c"$conns" -d"${seconds}s" "$1" | awk '/Requests\/sec/ { print $2 }'; }
# Warm up each target (JIT, caches), then measure in interleaved order.
for url in "http://127.0.0.1:$site_port$path" "http://127.0.0.1:$site_port/bench/page.html" "http://127.0.0.1:$nginx_port/bench/page.html"; do
  wrk -t1 -c"$conns" -d2s "$url" >/dev/null
done
for other in "${others[@]}"; do wrk -t1 -c"$conns" -d2s "http://127.0.0.1:$site_port$other" >/dev/null; done
page=$(rate "http://127.0.0.1:$site_port$path")
other_rates=()
for other in "${others[@]}"; do other_rates+=("$(rate "http://127.0.0.1:$site_port$other")"); done
static=$(rate "http://127.0.0.1:$site_port/bench/page.html")
nginx=$(rate "http://127.0.0.1:$nginx_port/bench/page.html")

echo "page $path: $bytes bytes; wrk -t1 -c$conns -d${seconds}s on $(nproc) cores"
printf '%-38s %12s req/s\n' "site, rendered page" "$page" "site, same bytes as a static file" "$static" "nginx, same bytes as a static file" "$nginx"
awk -v p="$page" -v s="$static" -v n="$nginx" 'BEGIN { printf "ratio page / site static file: %.2f\nratio page / nginx static file: %.2f\n", p / s, p / n }'
for i in "${!others[@]}"; do
  awk -v o="${other_rates[$i]}" -v p="$page" -v name="${others[$i]}" 'BEGIN { printf "%-38s %12s req/s; ratio to the page: %.2f\n", "site, " name, o, o / p }'
done
