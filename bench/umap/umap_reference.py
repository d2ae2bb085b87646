"""The umap-learn side of bench/umap: one process from start to embedding written, as a user runs it.

Usage: /usr/bin/python3 bench/umap/umap_reference.py X.npy Z.npy [--seed S]
With --seed, random_state=S (umap-learn then runs its layout sequentially); without, its parallel layout.
"""
import sys

import numpy as np
import umap

x = np.load(sys.argv[1])
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else None
z = umap.UMAP(random_state=seed).fit_transform(x)
np.save(sys.argv[2], z)
