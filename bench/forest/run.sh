#!/usr/bin/env bash
# Random forest benchmark: scikit-learn 1.2.1 and DimReduce on the same 8,000 x 32 data, one run, ratios at the end.
# From the repository root:  bench/forest/run.sh [REPEATS]
set -euo pipefail
repeats="${1:-3}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 bench/forest/forest_reference.py "$dir" "$repeats"
dotnet run -c Release bench/forest/ForestBench.cs "$dir" "$repeats"
