#!/usr/bin/env bash
# Memory under load: the site's Release publish on a kept store (e.g. the search benchmark's 100k store), wrk over a
# reader's mix of paths (topic pages and their deeper pages, paper pages, keyword pages, searches, the home page,
# gzip accepted), RSS sampled every 5 s; the plateau is the median of the last third of the samples. Each setting is
# a set of environment variables for the site; settings alternate round by round, a fresh process (on a fresh copy
# of the store) each time, and every figure is printed beside the others of the same run.
# Needs wrk and sqlite3 (apt-get install wrk sqlite3). Only 127.0.0.1 is contacted.
#   SETTINGS="defaults conserve" ROUNDS=2 SECONDS_PER_RUN=60 tests/PaperCatalog.Benchmarks/memory-bench.sh STORE
# Settings (see env_of below): defaults, conserve, hardlimit, gen0, server, nocache; and base: the defaults on another
# build, published beforehand into BASE_SITE_DIR (e.g. main before a change), so the two are compared in one run.
# SITE_DIR: use that publish of this build instead of publishing one.
set -euo pipefail
cd "$(dirname "$0")/../.."
store=${1:?usage: memory-bench.sh STORE, a kept store such as the search benchmark one}
settings=(${SETTINGS:-defaults})
rounds=${ROUNDS:-2}
seconds=${SECONDS_PER_RUN:-60}
port=5090
work=$(mktemp -d /tmp/papercatalog-memory-bench.XXXXXX)
cleanup() { [ -n "${site_pid:-}" ] && kill "$site_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

env_of() { # the environment of one setting
  case "$1" in
    defaults|base) echo "" ;;
    conserve) echo "DOTNET_GCConserveMemory=5" ;;
    hardlimit) echo "DOTNET_GCHeapHardLimit=0xC000000" ;;  # 192 MB
    hardlimit128) echo "DOTNET_GCHeapHardLimit=0x8000000" ;;
    gen0) echo "DOTNET_GCgen0size=0x1000000" ;;
    server) echo "DOTNET_gcServer=1" ;;
    nocache) echo "Caching__OutputCacheMegabytes=16" ;;
    *) echo "unknown setting $1" >&2; exit 2 ;;
  esac
}

if [ -z "${SITE_DIR:-}" ]; then
  dotnet publish src/PaperCatalog.Web -c Release -o "$work/site" --nologo -v quiet >/dev/null
  SITE_DIR="$work/site"
fi

# The mix: 20 topic pages and 10 deeper pages of them, 300 paper pages, 30 keyword pages, 13 searches, the home page.
{
  sqlite3 "$store" "SELECT '/topics/' || slug FROM topics ORDER BY slug LIMIT 20;"
  sqlite3 "$store" "SELECT '/topics/' || slug || '?page=3' FROM topics ORDER BY slug LIMIT 10;"
  sqlite3 "$store" "SELECT '/papers/' || slug FROM papers ORDER BY (id * 7919) % 100003 LIMIT 300;"
  sqlite3 "$store" "SELECT '/keywords/' || slug FROM keywords ORDER BY (id * 31) % 1009 LIMIT 30;" 2>/dev/null || true
  for q in attention cache quantization kv memory serving batch inference token decoding sparse prefill speculative; do
    echo "/search?q=$q"
  done
  echo "/"
} >"$work/paths.txt"
paths=$(wc -l <"$work/paths.txt")
{
  echo 'local paths = {}'
  echo 'for line in io.lines("'"$work"'/paths.txt") do paths[#paths + 1] = line end'
  echo 'request = function() return wrk.format("GET", paths[math.random(#paths)], { ["Accept-Encoding"] = "gzip" }) end'
} >"$work/mix.lua"

run() { # setting, round
  rm -f "$work"/store.db*
  cp "$store" "$work/store.db"
  local dir=$SITE_DIR
  if [ "$1" = base ]; then dir=${BASE_SITE_DIR:?the base setting needs BASE_SITE_DIR}; fi
  (cd "$dir" && export Catalog__Database="$work/store.db" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Logging__LogLevel__Default=Warning Semantic__Enabled=false && for e in $(env_of "$1"); do export "$e"; done &&
    exec dotnet PaperCatalog.Web.dll >"$work/site.log" 2>&1) &
  site_pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
  wrk -t2 -c16 -d"${seconds}s" -s "$work/mix.lua" "http://127.0.0.1:$port" >"$work/wrk.txt" &
  local wrk_pid=$! samples=()
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 5
    samples+=("$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$site_pid/status" 2>/dev/null || echo 0)")
  done
  wait "$wrk_pid" || true
  local peak rps plateau n
  n=${#samples[@]}
  plateau=$(printf '%s\n' "${samples[@]:$((n * 2 / 3))}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
  rps=$(awk '/Requests\/sec/ { print int($2) }' "$work/wrk.txt")
  errors=$(awk '/Non-2xx/ { print $5 }' "$work/wrk.txt")
  kill "$site_pid" 2>/dev/null || true
  wait "$site_pid" 2>/dev/null || true
  site_pid=
  printf '%-10s round %d: %6d req/s, RSS plateau %4d MB, peak %4d MB, non-2xx %s, load %s; samples: %s\n' \
    "$1" "$2" "$rps" "$plateau" "$peak" "${errors:-0}" "$(cut -d' ' -f1 /proc/loadavg)" "${samples[*]}"
}

echo "memory-bench: $paths paths, wrk -t2 -c16 -d${seconds}s, $(nproc) cores, settings: ${settings[*]}"
for r in $(seq 1 "$rounds"); do
  for s in "${settings[@]}"; do run "$s" "$r"; done
done
