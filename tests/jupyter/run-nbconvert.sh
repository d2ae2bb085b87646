#!/usr/bin/env bash
# Executes notebooks with real Jupyter (jupyter nbconvert --execute) on the DimReduce kernel, installed into a
# temporary --prefix named in JUPYTER_PATH, and checks that every code cell ran without an error.
# Usage: tests/jupyter/run-nbconvert.sh [NOTEBOOK.ipynb|FOLDER ...]   (a folder: every .ipynb under it; default:
# tests/jupyter/smoke.ipynb, whose outputs are also checked in detail). Environment: CONFIGURATION (default Release), SKIP_BUILD=1, DIMREDUCE_KERNEL_NAME,
# OUT (folder for the executed copies; default a temporary folder), TIMEOUT (seconds per cell, default 600).
# CLI_DLL=/path/DimReduce.Cli.dll uses that build instead (e.g. a ReadyToRun publish) and skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/jupyter/kernel-env.sh
OUT="${OUT:-$PREFIX/out}"
mkdir -p "$OUT"
export DIMREDUCE_QUICK="${DIMREDUCE_QUICK:-1}"

notebooks=()
for arg in "$@"; do
  if [[ -d "$arg" ]]; then
    # A folder: every notebook in it (none is fine: the course folder may still be empty).
    while IFS= read -r -d '' f; do notebooks+=("$f"); done < <(find "$arg" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z)
  else
    notebooks+=("$arg")
  fi
done
[[ $# -eq 0 ]] && notebooks=(tests/jupyter/smoke.ipynb)
failed=0
for nb in "${notebooks[@]}"; do
  base="$(basename "$nb" .ipynb)"
  echo "== $nb"
  # Run from the notebook's folder so relative paths in it resolve as they do for a student.
  if ! jupyter nbconvert --to notebook --execute \
      --ExecutePreprocessor.kernel_name="$NAME" --ExecutePreprocessor.timeout="${TIMEOUT:-600}" \
      --output-dir "$OUT" --output "$base.executed" "$nb"; then
    echo "FAIL $nb: nbconvert failed" >&2; failed=1; continue
  fi
  smoke=()
  [[ "$(realpath "$nb")" == "$(realpath tests/jupyter/smoke.ipynb)" ]] && smoke=(--smoke)
  /usr/bin/python3 tests/jupyter/check_executed.py "$OUT/$base.executed.ipynb" "${smoke[@]}" || failed=1
done
exit $failed
