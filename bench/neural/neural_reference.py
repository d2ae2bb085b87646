"""PyTorch reference timings for bench/neural (run from the repository root with /usr/bin/python3).

Same models, data and settings as NeuralBench.cs: Fashion-MNIST train images (60,000 x 784, scaled to [0, 1],
from data/fashion-mnist), float32, Adam (lr 1e-3), batch 256, shuffled every epoch, 2 threads.
  dense: 784-512-128-32-128-512-784, ReLU, sigmoid output, MSE; one warm-up epoch, then timed epochs.
  cvae:  the convolutional VAE (Conv 32/64 stride 2, dense 16, latent 2, transposed-conv decoder, sigmoid,
         BCE summed over pixels + KL); timed on the first ROWS rows (ROWS / 256 batches) per epoch.
Prints seconds per (partial) epoch, best of the timed epochs.
"""
import gzip, sys, time
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)
BATCH = 256


def load_images(path="data/fashion-mnist/train-images-idx3-ubyte.gz"):
    with gzip.open(path, "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return torch.from_numpy((data.reshape(-1, 784) / 255.0).astype(np.float32))


class Dense(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, 32))
        self.dec = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 512), nn.ReLU(), nn.Linear(512, 784), nn.Sigmoid())

    def loss(self, x):
        return F.mse_loss(self.dec(self.enc(x)), x)


class ConvVae(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(), nn.Flatten(),
                                  nn.Linear(64 * 7 * 7, 16), nn.ReLU())
        self.mean = nn.Linear(16, 2)
        self.logvar = nn.Linear(16, 2)
        self.dec = nn.Sequential(nn.Linear(2, 64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                                 nn.ConvTranspose2d(64, 64, 3, 2, 1, output_padding=1), nn.ReLU(),
                                 nn.ConvTranspose2d(64, 32, 3, 2, 1, output_padding=1), nn.ReLU(),
                                 nn.ConvTranspose2d(32, 1, 3, 1, 1), nn.Sigmoid(), nn.Flatten())

    def loss(self, x):
        h = self.conv(x.view(-1, 1, 28, 28))
        mu, lv = self.mean(h), self.logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        rec = F.binary_cross_entropy(self.dec(z), x, reduction="none").sum(1).mean()
        kl = (-0.5 * (1 + lv - mu.square() - lv.exp()).sum(1)).mean()
        return rec + kl


def epoch(model, opt, x):
    perm = torch.randperm(x.shape[0])
    total = 0.0
    t = time.perf_counter()
    for s in range(0, x.shape[0], BATCH):
        xb = x[perm[s:s + BATCH]]
        loss = model.loss(xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * xb.shape[0]
    return time.perf_counter() - t, total / x.shape[0]


def run(name, model, x, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    epoch(model, opt, x)  # warm-up
    times = []
    for _ in range(epochs):
        t, loss = epoch(model, opt, x)
        times.append(t)
    print(f"{name}: rows {x.shape[0]}, batches/epoch {(x.shape[0] + BATCH - 1) // BATCH}, "
          f"best {min(times):.2f} s/epoch, all {[round(v, 2) for v in times]}, last loss {loss:.4f}", flush=True)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "dense"
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 12800
    x = load_images()
    print(f"PyTorch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)
    if what in ("dense", "all"):
        run("dense", Dense(), x, 2)
    if what in ("cvae", "all"):
        run("cvae", ConvVae(), x[:rows].contiguous(), 2)
