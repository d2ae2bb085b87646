"""UMAP end to end, DimReduce against umap-learn 0.5.3, side by side in one run, as ratios.

Usage (from the repository root, after `dotnet build -c Release`):
    /usr/bin/python3 bench/umap/bench_umap.py [--sets digits subset full] [--modes seeded parallel] [--repeat 1]

Each run is a fresh process timed from its start to the embedding written (so .NET start-up and JIT, and
umap-learn's import and numba compilation, count), with peak resident memory from /usr/bin/time:
  DimReduce:  dotnet lib/DimReduce.Cli/bin/Release/net10.0/DimReduce.Cli.dll reduce --method umap --input X.npy ...
  umap-learn: /usr/bin/python3 bench/umap/umap_reference.py X.npy Z.npy ...
Both read the same float64 .npy matrix and use the defaults (15 neighbours, min_dist 0.1, 2 components; 500
epochs up to 10,000 rows, else 200; exact neighbours below 4,096 rows, NN-descent above).
Modes (DimReduce always with --seed 42, so every DimReduce run is bit-reproducible):
  seeded     = DimReduce's default layout (parallel, deterministic) against umap-learn with random_state=42 (its
               reproducible mode, which runs the layout sequentially);
  parallel   = the same DimReduce run against umap-learn without random_state (its parallel Hogwild layout, not
               reproducible);
  sequential = DimReduce with --sequential-layout (umap-learn's update order) against umap-learn with random_state=42.
Trustworthiness at 15 (sklearn.manifold.trustworthiness) is computed afterwards, untimed, on the same random
sample of at most 10,000 rows (numpy seed 0) for both sides.
Sets: digits (1,797 x 64, sklearn's copy), subset (the shipped 10,000 Fashion-MNIST images, train + test),
full (the 70,000 Fashion-MNIST images from data/fashion-mnist, `dimreduce data fetch fashion-mnist`).
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DLL = os.path.join(ROOT, "lib", "DimReduce.Cli", "bin", "Release", "net10.0", "DimReduce.Cli.dll")


def arg_list(name, default):
    if name not in sys.argv:
        return default
    i = sys.argv.index(name) + 1
    out = []
    while i < len(sys.argv) and not sys.argv[i].startswith("--"):
        out.append(sys.argv[i])
        i += 1
    return out


def idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def load(name):
    if name == "digits":
        from sklearn.datasets import load_digits
        return load_digits().data.astype(np.float64)
    folder = os.path.join(ROOT, "data", "fashion-mnist-subset" if name == "subset" else "fashion-mnist")
    parts = [idx_images(os.path.join(folder, f)) for f in ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz")]
    return np.vstack(parts).astype(np.float64)


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak resident MB)."""
    r = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    line = [l for l in r.stderr.splitlines() if l.startswith("TIME ")][-1].split()
    return float(line[1]), int(line[2]) / 1024.0


def blas():
    try:
        from threadpoolctl import threadpool_info
        return ", ".join(f"{i.get('internal_api')} ({i.get('num_threads')} threads)" for i in threadpool_info() if i.get("user_api") == "blas")
    except Exception as e:  # threadpoolctl missing
        return f"unknown ({e})"


def main():
    sets = arg_list("--sets", ["digits", "subset", "full"])
    modes = arg_list("--modes", ["seeded"])
    repeat = int(arg_list("--repeat", ["1"])[0])
    if not os.path.exists(DLL):
        raise SystemExit(f"{DLL} not found: run `dotnet build -c Release` first.")
    from sklearn.manifold import trustworthiness
    import umap, sklearn
    print(json.dumps({"umap-learn": "0.5.3" if not hasattr(umap, "__version__") else umap.__version__, "sklearn": sklearn.__version__,
                      "numpy": np.__version__, "blas": blas(), "cores": os.cpu_count(), "load": os.getloadavg()}), flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name in sets:
            x = load(name)
            xpath = os.path.join(work, name + ".npy")
            np.save(xpath, x)
            sample = np.sort(np.random.default_rng(0).permutation(len(x))[:10000])
            input_mb = x.nbytes / 2**20
            for mode in modes:
                ours_cmd = ["dotnet", DLL, "reduce", "--method", "umap", "--input", xpath, "--output", os.path.join(work, "ours.csv"), "--seed", "42"]
                theirs_cmd = ["/usr/bin/python3", os.path.join(ROOT, "bench", "umap", "umap_reference.py"), xpath, os.path.join(work, "theirs.npy")]
                if mode in ("seeded", "sequential"):
                    theirs_cmd += ["--seed", "42"]
                if mode == "sequential":
                    ours_cmd += ["--sequential-layout"]
                for r in range(repeat):
                    # Alternate the order so neither side always runs on a warmer machine.
                    first, second = (ours_cmd, theirs_cmd) if r % 2 == 0 else (theirs_cmd, ours_cmd)
                    t1 = timed(first)
                    t2 = timed(second)
                    (ot, om), (tt, tm) = (t1, t2) if r % 2 == 0 else (t2, t1)
                    zo = np.loadtxt(os.path.join(work, "ours.csv"), delimiter=",", skiprows=1)
                    zt = np.load(os.path.join(work, "theirs.npy"))
                    to = trustworthiness(x[sample], zo[sample], n_neighbors=15)
                    tt_ = trustworthiness(x[sample], zt[sample], n_neighbors=15)
                    row = {"set": name, "rows": len(x), "mode": mode, "run": r + 1, "dimreduce_s": ot, "umap_learn_s": tt,
                           "speedup": tt / ot, "dimreduce_trust15": to, "umap_learn_trust15": tt_,
                           "dimreduce_peak_mb": om, "umap_learn_peak_mb": tm, "input_mb": input_mb,
                           "memory_goal_mb": 2 * input_mb + 1024, "trust_sample": int(len(sample)), "load": os.getloadavg()[0]}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    print()
    print(f"{'set':8} {'mode':9} {'DimReduce s':>11} {'umap-learn s':>12} {'speed-up':>8} {'trust DR':>9} {'trust UL':>9} {'peak DR MB':>10} {'peak UL MB':>10} {'goal MB':>8}")
    for r in rows:
        print(f"{r['set']:8} {r['mode']:9} {r['dimreduce_s']:11.2f} {r['umap_learn_s']:12.2f} {r['speedup']:7.2f}x {r['dimreduce_trust15']:9.4f} {r['umap_learn_trust15']:9.4f} {r['dimreduce_peak_mb']:10.0f} {r['umap_learn_peak_mb']:10.0f} {r['memory_goal_mb']:8.0f}")


if __name__ == "__main__":
    main()
