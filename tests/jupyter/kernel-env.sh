# Sourced by the scripts in tests/jupyter (run from the repository root): builds the CLI (Release unless
# CONFIGURATION is set; SKIP_BUILD=1 or CLI_DLL=/path/DimReduce.Cli.dll skip the build), installs the kernelspec
# DIMREDUCE_KERNEL_NAME (default dimreduce-csharp) into a temporary --prefix removed on exit, and points
# JUPYTER_PATH at it. Sets CONFIGURATION, NAME, CLI and PREFIX.
CONFIGURATION="${CONFIGURATION:-Release}"
NAME="${DIMREDUCE_KERNEL_NAME:-dimreduce-csharp}"
if [[ "${SKIP_BUILD:-0}" != 1 && -z "${CLI_DLL:-}" ]]; then
  dotnet build lib/DimReduce.Cli -c "$CONFIGURATION" --nologo -v quiet
fi
CLI="${CLI_DLL:-lib/DimReduce.Cli/bin/$CONFIGURATION/net10.0/DimReduce.Cli.dll}"
PREFIX="$(mktemp -d)"
trap 'rm -rf "$PREFIX"' EXIT
dotnet "$CLI" kernel install --prefix "$PREFIX" --name "$NAME" >/dev/null
export JUPYTER_PATH="$PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
echo "kernelspec $NAME installed in $PREFIX for $CLI"
