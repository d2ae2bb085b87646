"""Checks a notebook executed by nbconvert: every code cell ran, none failed, and (for smoke.ipynb) the expected outputs exist.

Usage: check_executed.py EXECUTED.ipynb [--smoke]
"""
import json
import sys


def main() -> int:
    path = sys.argv[1]
    smoke = "--smoke" in sys.argv[2:]
    nb = json.load(open(path, encoding="utf-8"))
    problems = []
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(code_cells):
        if cell.get("execution_count") is None:
            problems.append(f"code cell {i} has no execution_count")
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append(f"code cell {i} failed: {out.get('ename')}: {out.get('evalue')}")
    if smoke:
        outputs = [o for c in code_cells for o in c.get("outputs", [])]
        streams = "".join(o.get("text", "") if isinstance(o.get("text"), str) else "".join(o.get("text", [])) for o in outputs if o["output_type"] == "stream")
        mimes = {m for o in outputs if o["output_type"] in ("display_data", "execute_result") for m in o.get("data", {})}
        results = [o for o in outputs if o["output_type"] == "execute_result"]
        if "hello from the DimReduce kernel" not in streams:
            problems.append("the Console.WriteLine output is missing")
        if "178 x 2" not in streams:
            problems.append("the PCA cell's output (178 x 2) is missing")
        for mime in ("text/html", "application/vnd.plotly.v1+json", "text/plain"):
            if mime not in mimes:
                problems.append(f"no output has {mime}")
        plotly = [o["data"]["application/vnd.plotly.v1+json"] for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
        if plotly and not isinstance(plotly[0], dict):
            problems.append("the plotly figure is stored as a string, not as JSON")
        if not results:
            problems.append("no execute_result")
    for p in problems:
        print(f"FAIL {path}: {p}", file=sys.stderr)
    if not problems:
        print(f"OK {path}: {len(code_cells)} code cells executed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
