#!/usr/bin/env bash
# Runs the Jupyter kernel conformance suite (Debian python3-jupyter-kernel-test) against the DimReduce kernel.
# Builds the CLI (Release unless CONFIGURATION is set), installs the kernelspec into a temporary --prefix, points
# JUPYTER_PATH at it and runs tests/jupyter/test_kernel_conformance.py. Exits non-zero on any failure or skip.
# CLI_DLL=/path/DimReduce.Cli.dll uses that build instead (e.g. a ReadyToRun publish) and skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/jupyter/kernel-env.sh
export DIMREDUCE_KERNEL_NAME="$NAME"
LOG="$PREFIX/conformance.log"
set +e
/usr/bin/python3 -m unittest -v tests/jupyter/test_kernel_conformance.py 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 ]]; then echo "conformance suite failed (exit $status)" >&2; exit "$status"; fi
if grep -q "skipped" "$LOG"; then echo "conformance suite skipped tests; every attribute must be filled" >&2; exit 1; fi
grep -q "^OK" "$LOG" || { echo "conformance suite did not report OK" >&2; exit 1; }
echo "conformance suite passed"
