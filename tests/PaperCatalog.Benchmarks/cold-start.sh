#!/usr/bin/env bash
# Cold start: the time from starting the process to the first 200 of `/`, for the site on a fresh store (it creates the
# store and imports the bundled list first), the site on an existing store, and an empty ASP.NET Core app (`dotnet new
# web`) started the same way, in interleaved rounds; medians, and the site's figures as ratios to the empty app's.
# The site is published twice, as a bare `dotnet publish` gives it ("site") and as the README's publish command does
# ("r2r": ReadyToRun, `-r linux-x64 -p:PublishReadyToRun=true`, precompiled code for the site and its libraries). The
# semantic model is not loaded before the first page either way (it waits for the first search or an idle site).
# "r2r, no PGO" is the ReadyToRun build started with DOTNET_TieredPGO=0 (no instrumented tier between precompiled and
# optimised code). With a second argument, another checkout of the repository (say `git worktree add --detach
# /tmp/base main`) is published the same two ways and timed in the same rounds ("base site", "base r2r").
# Goal (issue 12): fresh-store first page <= 2x the empty app's. Only 127.0.0.1 is contacted.
#   tests/PaperCatalog.Benchmarks/cold-start.sh [rounds=5] [baseline checkout]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
base=${2:-}
port=5090
work=$(mktemp -d /tmp/papercatalog-cold-start.XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use" >&2; exit 1; fi

# publish CHECKOUT PREFIX: the site as a bare publish (PREFIXsite) and as the README's ReadyToRun publish (PREFIXr2r).
publish() {
  dotnet publish "$1/src/PaperCatalog.Web" -c Release -o "$work/$2site" --nologo -v quiet >/dev/null
  dotnet publish "$1/src/PaperCatalog.Web" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/$2r2r" --nologo -v quiet >/dev/null
}
publish . ""
variants=(site r2r r2r-nopgo)
if [ -n "$base" ]; then publish "$base" base-; variants+=(base-site base-r2r); fi
(cd "$work" && dotnet new web -o empty --no-restore --force >/dev/null && dotnet publish empty -c Release -o "$work/emptypub" --nologo -v quiet >/dev/null)

# variant NAME: the folder and environment of a variant.
folder() { case $1 in *-nopgo) echo "$work/${1%-nopgo}" ;; *) echo "$work/$1" ;; esac; }
envof() { case $1 in *-nopgo) echo DOTNET_TieredPGO=0 ;; *) echo DOTNET_TieredPGO=1 ;; esac; }

# start DIR DLL [env...]: prints milliseconds to the first 200 of /, then stops the process.
start() {
  local dir=$1 dll=$2; shift 2
  local t0 t1
  t0=$(date +%s%N)
  (cd "$dir" && exec env "$@" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning dotnet "$dll" >"$work/last.log" 2>&1) &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    kill -0 "$pid" 2>/dev/null || { echo "the process stopped: $(tail -5 "$work/last.log")" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

# One untimed start of each fills the OS file cache.
start "$work/emptypub" empty.dll >/dev/null
start "$work/site" PaperCatalog.Web.dll Catalog__Database="$work/warm.db" >/dev/null
: >"$work/empty.ms"
for v in "${variants[@]}"; do
  : >"$work/$v-fresh.ms"; : >"$work/$v-existing.ms"
  start "$(folder "$v")" PaperCatalog.Web.dll Catalog__Database="$work/warm.db" >/dev/null
done
for r in $(seq 1 "$rounds"); do
  start "$work/emptypub" empty.dll >>"$work/empty.ms"
  for v in "${variants[@]}"; do
    rm -f "$work/fresh.db"*
    start "$(folder "$v")" PaperCatalog.Web.dll "$(envof "$v")" Catalog__Database="$work/fresh.db" >>"$work/$v-fresh.ms"
    start "$(folder "$v")" PaperCatalog.Web.dll "$(envof "$v")" Catalog__Database="$work/warm.db" >>"$work/$v-existing.ms"
  done
done
empty=$(median <"$work/empty.ms")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $rounds interleaved rounds, medians"
echo "empty ASP.NET Core app:              ${empty} ms   ($(tr '\n' ' ' <"$work/empty.ms"))"
for v in "${variants[@]}"; do
  for k in fresh existing; do
    m=$(median <"$work/$v-$k.ms")
    printf '%-36s %s ms   (%s)  ratio %s\n' "$v, $k store:" "$m" "$(tr '\n' ' ' <"$work/$v-$k.ms")" "$(awk "BEGIN{printf \"%.2f\", $m/$empty}")"
  done
done
