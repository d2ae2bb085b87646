#!/usr/bin/env bash
# Measures the kernel with jupyter_client (tests/jupyter/bench_kernel.py): start to first execute_reply, and the
# median trivial round trip after warm-up. Builds Release unless SKIP_BUILD=1; arguments go to bench_kernel.py.
# CLI_DLL=/path/DimReduce.Cli.dll uses that build instead (e.g. a ReadyToRun publish) and skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/jupyter/kernel-env.sh
/usr/bin/python3 tests/jupyter/bench_kernel.py --kernel "$NAME" "$@"
