#!/usr/bin/env bash
# Queue benchmark: the moderator's queue and the public duplicate check over a long queue, against the published
# site on a store made by `PaperCatalog.Benchmarks queue-store`. Each path gets one cold request (curl: time and
# bytes; the first read of a page renders intros stored before intros were rendered at storage), then wrk, warmed
# until two rounds agree within 10 %. Needs wrk. Only 127.0.0.1 is contacted.
#   dotnet run -c Release --project tests/PaperCatalog.Benchmarks -- queue-store /tmp/queue-10k.db 10000 100
#   tests/PaperCatalog.Benchmarks/queue-bench.sh /tmp/queue-10k.db [seconds=10] [connections=4] [path...]
# The default paths are the home page (a reference), the first and a deep queue page, the newest first, and the
# duplicate check; each also gets the site's CPU time per request, which a busy machine disturbs less. SITE_SRC=DIR
# publishes the site from another checkout instead (`git archive main | tar -x -C DIR`), to measure the code before
# a change on the same store.
set -euo pipefail
cd "$(dirname "$0")/../.."
store=${1:?usage: queue-bench.sh STORE [seconds] [connections] [path...]}
seconds=${2:-10}
conns=${3:-4}
paths=("${@:4}")
[ ${#paths[@]} -eq 0 ] && paths=(/ /admin '/admin?page=200' '/admin?order=newest' \
  '/api/submissions/duplicates?title=Efficient%20sparse%20attention%20speculative%20decoding%20quantized&link=https%3A%2F%2Farxiv.org%2Fabs%2F2501.00042')
src=${SITE_SRC:-.}
work=$(mktemp -d /tmp/papercatalog-queue-bench.XXXXXX)
port=5082
cleanup() {
  [ -n "${site_pid:-}" ] && kill "$site_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use" >&2; exit 1; fi

dotnet publish "$src/src/PaperCatalog.Web" -c Release -o "$work/site" --nologo -v quiet >/dev/null
cp "$store" "$work/catalog.db"
(cd "$work/site" && export Catalog__Database="$work/catalog.db" ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Submissions__RatePermits=1000 Logging__LogLevel__Default=Warning && exec dotnet PaperCatalog.Web.dll >"$work/site.log" 2>&1) &
site_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -sf "$base/" >/dev/null && break; sleep 0.5; done

# Sign in through the real form (antiforgery token and cookie), then hand the cookies to wrk.
jar="$work/cookies"
token=$(curl -sf -c "$jar" "$base/admin/signin" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "__RequestVerificationToken=$token" \
  --data-urlencode "Name=bench" --data-urlencode "Password=a long enough bench passphrase" "$base/admin/signin"
cookie=$(awk '!/^# / && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
grep -q catalog.moderator <<<"$cookie" || { echo "sign-in failed" >&2; cat "$work/site.log" >&2; exit 1; }

rate() { wrk -t1 -c"$conns" -d"$1s" -H "Cookie: $cookie" --latency "$base$2"; }
rps() { awk '/Requests\/sec/ { print $2 }'; }
# The site's CPU time (user + system, in clock ticks): per request it hardly depends on what else the machine runs.
cpu() { awk '{ print $14 + $15 }' "/proc/$site_pid/stat"; }
echo "store $store; wrk -t1 -c$conns -d${seconds}s on $(nproc) cores; site from $src"
for path in "${paths[@]}"; do
  cold=$(curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total} %{size_download}' "$base$path")
  read -r code secs bytes <<<"$cold"
  if awk -v s="$secs" 'BEGIN { exit !(s > 1) }'; then
    # Too slow for wrk (its timeout is 2 s): three requests one after another instead.
    before=$(cpu)
    again=$(for _ in 1 2 3; do curl -s -o /dev/null -H "Cookie: $cookie" -w '%{time_total} ' "$base$path"; done)
    after=$(cpu)
    printf '%s\n  cold: HTTP %s in %s s, %s bytes\n  then: %s s (one at a time); site CPU %s ms a request\n' "$path" "$code" "$secs" "$bytes" "$again" \
      "$(awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) * 1000 / hz / 3 }')"
    continue
  fi
  # Warm until two 3-second rounds agree within 10 % (tiered JIT needs more than one short round here).
  prev=0
  for _ in 1 2 3 4 5 6; do
    now=$(rate 3 "$path" | rps)
    awk -v a="$prev" -v b="$now" 'BEGIN { exit !(a > 0 && (a - b) / a < 0.1 && (b - a) / a < 0.1) }' && break
    prev=$now
  done
  before=$(cpu)
  out=$(rate "$seconds" "$path")
  after=$(cpu)
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  printf '%s\n  cold: HTTP %s in %s s, %s bytes\n  warm: %s req/s; latency avg %s, p50 %s, p99 %s; site CPU %s ms a request\n' "$path" "$code" "$secs" "$bytes" \
    "$(rps <<<"$out")" "$(awk '/Latency/ && !/Distribution/ { print $2; exit }' <<<"$out")" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) * 1000 / hz / n }')"
done
