"""Times scikit-learn's PCA on a 70,000 x 784 matrix, the reference for DimReduce's Pca.

Run from the repository root with the Debian interpreter (scikit-learn 1.2.1; install libopenblas0-pthread
first so NumPy runs on OpenBLAS, as users' installs do):
    /usr/bin/python3 bench/decomposition/pca_reference.py [--components 50] [--repeat 2] [--out PATH]

Data: Fashion-MNIST's 70,000 training and test images if data/fashion-mnist/ holds them as
fashion-mnist.npy (uint8, 70000 x 784) or the four idx files (train-images-idx3-ubyte[.gz],
t10k-images-idx3-ubyte[.gz]); otherwise random uint8 images resembling it (a smooth low-rank part plus
noise, clipped to 0..255; seed 0). The matrix is also written as raw uint8 bytes to --out (default
/tmp/dimreduce-pca-bench-70000x784.u8) so that bench/decomposition/PcaTiming.cs times DimReduce on
exactly the same numbers. Prints one line per solver: best wall-clock seconds over --repeat runs.
"""
import argparse, gzip, os, time
import numpy as np
import sklearn
from sklearn.decomposition import PCA

ROWS, COLS = 70000, 784


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 784)


def load():
    root = "data/fashion-mnist"
    npy = os.path.join(root, "fashion-mnist.npy")
    if os.path.exists(npy):
        return np.load(npy).reshape(-1, COLS).astype(np.uint8), "Fashion-MNIST (npy)"
    parts = []
    for stem in ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte"):
        for name in (stem, stem + ".gz"):
            p = os.path.join(root, name)
            if os.path.exists(p):
                parts.append(read_idx(p))
                break
    if len(parts) == 2:
        return np.vstack(parts), "Fashion-MNIST (idx)"
    rng = np.random.default_rng(0)
    # A smooth low-rank part (30 random 'templates' mixed per image) plus pixel noise.
    templates = rng.random((30, 28, 28))
    templates = (templates + np.roll(templates, 1, 1) + np.roll(templates, 1, 2)) / 3
    weights = rng.gamma(2.0, 1.0, (ROWS, 30))
    x = weights @ templates.reshape(30, COLS) * 12 + rng.normal(0, 20, (ROWS, COLS))
    return np.clip(x, 0, 255).astype(np.uint8), "random uint8 images (seed 0)"


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--components", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--out", default="/tmp/dimreduce-pca-bench-70000x784.u8")
    a = ap.parse_args()
    x8, source = load()
    x8[:ROWS].tofile(a.out)
    x = x8[:ROWS].astype(np.float64)
    print(f"data: {source}, {x.shape[0]} x {x.shape[1]}, float64; sklearn {sklearn.__version__}, numpy {np.__version__}")
    for solver in ("full", "randomized"):
        seconds = best(lambda: PCA(n_components=a.components, svd_solver=solver, random_state=0).fit(x), a.repeat)
        print(f"sklearn PCA svd_solver={solver!r} components={a.components}: {seconds:.3f} s")


if __name__ == "__main__":
    main()
