#!/bin/sh
# The embedding model's memory under each session setting (ModelMemoryBenchmark), interleaved, each three times:
#   tests/PaperCatalog.Benchmarks/model-memory.sh [path/to/PaperCatalog.Benchmarks.dll]
set -e
dll=${1:-$(dirname "$0")/bin/Release/net10.0/PaperCatalog.Benchmarks.dll}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2 3; do
  for setting in ${SETTINGS:-site-bytes site ort-defaults}; do
    dotnet "$dll" model-memory "$setting"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
