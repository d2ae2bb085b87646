#!/usr/bin/env bash
# Measures the kernel with jupyter_client (tests/jupyter/bench_kernel.py): start to first execute_reply, and the
# median trivial round trip after warm-up. Builds Release unless SKIP_BUILD=1; arguments go to bench_kernel.py.
# CLI_DLL=/path/DimReduce.Cli.dll uses that build instead (e.g. a ReadyToRun publish) and skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONFIGURATION="${CONFIGURATION:-Release}"
NAME="${DIMREDUCE_KERNEL_NAME:-dimreduce-csharp}"
if [[ "${SKIP_BUILD:-0}" != 1 && -z "${CLI_DLL:-}" ]]; then
  dotnet build lib/DimReduce.Cli -c "$CONFIGURATION" --nologo -v quiet
fi
PREFIX="$(mktemp -d)"
trap 'rm -rf "$PREFIX"' EXIT
dotnet "${CLI_DLL:-lib/DimReduce.Cli/bin/$CONFIGURATION/net10.0/DimReduce.Cli.dll}" kernel install --prefix "$PREFIX" --name "$NAME" >/dev/null
export JUPYTER_PATH="$PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
/usr/bin/python3 tests/jupyter/bench_kernel.py --kernel "$NAME" "$@"
