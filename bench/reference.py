"""The scikit-learn side of `dimreduce bench`: times the same tasks on the same data, in one process,
as a scikit-learn user runs them (NumPy on OpenBLAS; see README "Benchmarks").

Usage (the bench command calls it): /usr/bin/python3 bench/reference.py DATA_DIR TASK [TASK ...] --repeat N
DATA_DIR holds the .npy files written by `dimreduce bench`. Prints one JSON object per line:
{"task": ..., "seconds": [...], "value": ...}; the first line describes the BLAS in use.
"""
import json, sys, time
import numpy as np

def blas():
    try:
        from threadpoolctl import threadpool_info
        libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        return ", ".join(f"{i.get('internal_api')} {i.get('version') or ''} ({i.get('num_threads')} threads)" for i in libs) or "unknown"
    except Exception as e:  # threadpoolctl missing
        return f"unknown ({e})"

def timed(fn, repeat):
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return times, value

def main():
    data, tasks = sys.argv[1], [a for a in sys.argv[2:] if not a.startswith("--")]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    tasks = [t for t in tasks if not t.isdigit()]
    import sklearn
    from sklearn.decomposition import PCA
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    print(json.dumps({"task": "info", "sklearn": sklearn.__version__, "numpy": np.__version__, "blas": blas()}), flush=True)
    cache = {}
    def load(name):
        if name not in cache:
            cache[name] = np.load(f"{data}/{name}.npy")
        return cache[name]
    for task in tasks:
        if task == "pca":
            x = load("fashion")
            times, v = timed(lambda: PCA(n_components=50, svd_solver="full").fit(x).explained_variance_ratio_.sum(), repeat)
        elif task == "rpca":
            x = load("fashion")
            times, v = timed(lambda: PCA(n_components=50, svd_solver="randomized", random_state=0).fit(x).explained_variance_ratio_.sum(), repeat)
        elif task == "silhouette":
            x, y = load("blobs"), load("blobs_labels").astype(int)
            times, v = timed(lambda: silhouette_score(x, y), repeat)
        elif task == "tsne":
            from sklearn.manifold import TSNE, trustworthiness
            x = load("subset")
            out = {}
            def fit():
                tsne = TSNE(n_components=2, perplexity=30.0, init="pca", learning_rate="auto", random_state=0, n_jobs=2)
                out["embedding"] = tsne.fit_transform(x)
                out["kl"] = float(tsne.kl_divergence_)
                return 0.0
            times, _ = timed(fit, repeat)
            # Only the fit is timed; the value is the trustworthiness of the last run's embedding.
            v = trustworthiness(x, out["embedding"], n_neighbors=5)
            print(json.dumps({"task": "tsne-kl", "value": out["kl"]}), flush=True)
        elif task == "kmeans":
            x = load("blobs")
            times, v = timed(lambda: KMeans(n_clusters=8, n_init=10, random_state=0).fit(x).inertia_, repeat)
        else:
            raise SystemExit(f"unknown task {task}")
        print(json.dumps({"task": task, "seconds": times, "value": float(v)}), flush=True)

if __name__ == "__main__":
    main()
