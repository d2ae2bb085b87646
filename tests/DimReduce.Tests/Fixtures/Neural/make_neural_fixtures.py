"""Reference values for the autoencoder tests, computed by PyTorch (Debian python3-torch 1.13).

Run from the repository root with the Debian interpreter:
    /usr/bin/python3 tests/DimReduce.Tests/Fixtures/Neural/make_neural_fixtures.py

Each case builds the same network as DimReduce's AutoencoderNetwork (same layer order and parameter names),
starts it from weights drawn here (written into the fixture, so both sides start equal), and records what
the C# tests compare: losses at the initial weights, parameters after a few full-batch optimiser steps,
gradients, and the outputs of a variational network evaluated at its mean.
"""
import json
import os

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
ACT = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "linear": nn.Identity, "selu": nn.SELU}


class Net(nn.Module):
    """Mirror of AutoencoderNetwork (dense blocks, optional convolutional front end, optional VAE heads)."""

    def __init__(self, inputs, enc, code, dec, hidden, code_act, out_act, variational=False, image=None, filters=(), k=3):
        super().__init__()
        self.image, self.variational = image, variational
        feats = inputs
        conv = []
        if filters:
            c, h, w = image
            for f in filters:
                conv += [nn.Conv2d(c, f, k, stride=2, padding=k // 2), nn.ReLU()]
                c, h, w = f, h // 2, w // 2
            conv.append(nn.Flatten())
            feats = c * h * w
            self.shape = (c, h, w)
        self.convEncoder = nn.Sequential(*conv)
        blocks = []
        for width in enc:
            blocks.append(nn.Sequential(nn.Linear(feats, width), ACT[hidden]()))
            feats = width
        self.encoderBlocks = nn.ModuleList(blocks)
        self.codeHead = nn.Linear(feats, code)
        self.logVarHead = nn.Linear(feats, code) if variational else None
        self.codeActivation = ACT["linear" if variational else code_act]()
        blocks, feats = [], code
        for width in dec:
            blocks.append(nn.Sequential(nn.Linear(feats, width), ACT[hidden]()))
            feats = width
        self.decoderBlocks = nn.ModuleList(blocks)
        if filters:
            c, h, w = self.shape
            out = [nn.Linear(feats, c * h * w), nn.ReLU(), nn.Unflatten(1, (c, h, w))]
            for f in reversed(filters):
                out += [nn.ConvTranspose2d(c, f, k, stride=2, padding=k // 2, output_padding=1), nn.ReLU()]
                c = f
            out += [nn.ConvTranspose2d(c, image[0], k, stride=1, padding=k // 2), ACT[out_act](), nn.Flatten()]
        else:
            out = [nn.Linear(feats, inputs), ACT[out_act]()]
        self.output = nn.Sequential(*out)

    def encode(self, x, activations=None):
        h = x
        if self.image is not None and len(self.convEncoder) > 0:
            h = self.convEncoder(x.view(x.shape[0], *self.image))
        for block in self.encoderBlocks:
            h = block(h)
            if activations is not None:
                activations.append(h)
        code = self.codeActivation(self.codeHead(h))
        if activations is not None:
            activations.append(code)
        return code, (self.logVarHead(h) if self.logVarHead is not None else None)

    def decode(self, z):
        for block in self.decoderBlocks:
            z = block(z)
        return self.output(z)


def init_weights(net, rng, scale=0.4):
    with torch.no_grad():
        for _, p in net.named_parameters():
            p.copy_(torch.from_numpy(rng.uniform(-scale, scale, size=tuple(p.shape)).astype(np.float32)))


def params(net):
    return [{"name": n, "shape": list(p.shape), "values": p.detach().reshape(-1).tolist()} for n, p in net.named_parameters()]


def grads(net):
    return [{"name": n, "shape": list(p.shape), "values": p.grad.detach().reshape(-1).tolist()} for n, p in net.named_parameters()]


def loss_of(net, x, loss, l1=0.0, code_l1=0.0, sparsity=None, sparsity_weight=1.0):
    acts = [] if (l1 or code_l1 or sparsity is not None) else None
    code, _ = net.encode(x, acts)
    rec = net.decode(code)
    total = nn.functional.binary_cross_entropy(rec, x) if loss == "bce" else nn.functional.mse_loss(rec, x)
    if acts is not None:
        if l1:
            for a in acts:  # every encoder layer and the code, as AutoencoderSpec.EncoderActivityL1
                total = total + l1 * a.abs().sum(1).mean()
        if code_l1:
            total = total + code_l1 * acts[-1].abs().sum(1).mean()
        if sparsity is not None:
            rho = sparsity
            rho_hat = acts[-1].mean(0).clamp(1e-6, 1 - 1e-6)
            total = total + sparsity_weight * (rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()
    return total


def optimiser(kind, net, lr, momentum=0.9, weight_decay=0.0):
    if kind == "sgd":
        return torch.optim.SGD(net.parameters(), lr, momentum=momentum, weight_decay=weight_decay)
    if kind == "rmsprop":
        return torch.optim.RMSprop(net.parameters(), lr, weight_decay=weight_decay)
    return torch.optim.Adam(net.parameters(), lr, weight_decay=weight_decay)


def training_case(name, spec, build, x, loss, kind, lr, epochs, seed, weight_decay=0.0, **penalties):
    net = build()
    init_weights(net, np.random.default_rng(seed))
    initial = params(net)
    opt = optimiser(kind, net, lr, weight_decay=weight_decay)
    xt = torch.from_numpy(x.astype(np.float32))
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        total = loss_of(net, xt, loss, **penalties)
        total.backward()
        opt.step()
        losses.append(float(total))
    return {"name": name, "spec": spec, "loss": loss, "optimizer": kind, "learningRate": lr, "weightDecay": weight_decay,
            "epochs": epochs, "x": x.tolist(), "initial": initial, "losses": losses, "final": params(net)}


def variational_case(name, spec, build, x, seed):
    net = build()
    init_weights(net, np.random.default_rng(seed))
    initial = params(net)
    xt = torch.from_numpy(x.astype(np.float32))
    mu, log_var = net.encode(xt)
    rec = net.decode(mu)
    bce = nn.functional.binary_cross_entropy(rec, xt, reduction="none").sum(1).mean()
    kl = (-0.5 * (1 + log_var - mu.pow(2) - log_var.exp()).sum(1)).mean()
    total = bce + kl
    total.backward()
    return {"name": name, "spec": spec, "x": x.tolist(), "initial": initial, "mean": mu.detach().tolist(),
            "logVariance": log_var.detach().tolist(), "reconstruction": rec.detach().tolist(),
            "reconstructionLoss": float(bce), "kl": float(kl), "total": float(total), "gradients": grads(net)}


class SequenceNet(nn.Module):
    """Mirror of SequenceNetwork: LSTM encoder, code head, code repeated per step, LSTM decoder, output head."""

    def __init__(self, steps, features, hidden, code, layers):
        super().__init__()
        self.steps, self.features = steps, features
        self.encoder = nn.LSTM(features, hidden, layers, batch_first=True)
        self.codeHead = nn.Linear(hidden, code)
        self.decoder = nn.LSTM(code, hidden, layers, batch_first=True)
        self.outputHead = nn.Linear(hidden, features)

    def encode(self, x):
        _, (h, _) = self.encoder(x.view(x.shape[0], self.steps, self.features))
        return self.codeHead(h[-1])

    def forward(self, x):
        z = self.encode(x)
        out, _ = self.decoder(z.unsqueeze(1).expand(z.shape[0], self.steps, z.shape[1]))
        return self.outputHead(out).reshape(x.shape[0], -1)


def sequence_case(name, x, steps, features, hidden, code, layers, lr, clip, epochs, seed):
    net = SequenceNet(steps, features, hidden, code, layers)
    init_weights(net, np.random.default_rng(seed))
    initial = params(net)
    xt = torch.from_numpy(x.astype(np.float32))
    with torch.no_grad():
        codes = net.encode(xt).tolist()
        reconstruction = net(xt).tolist()
    opt = torch.optim.Adam(net.parameters(), lr)
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(xt), xt)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
        opt.step()
        losses.append(float(loss))
    return {"name": name, "timeSteps": steps, "features": features, "hiddenSize": hidden, "codeSize": code, "layers": layers,
            "learningRate": lr, "clipNorm": clip, "epochs": epochs, "x": x.tolist(), "initial": initial, "codes": codes,
            "reconstruction": reconstruction, "losses": losses, "final": params(net)}


def main():
    rng = np.random.default_rng(7)
    x10 = rng.normal(size=(16, 10))
    x6 = rng.uniform(0.05, 0.95, size=(12, 6))
    img = rng.uniform(0, 1, size=(5, 64))

    deep10 = {"InputSize": 10, "EncoderWidths": [8, 6], "CodeSize": 2, "HiddenActivation": "Tanh",
              "CodeActivation": "Linear", "OutputActivation": "Linear"}
    build10 = lambda: Net(10, [8, 6], 2, [6, 8], "tanh", "linear", "linear")
    sparse = {"InputSize": 6, "EncoderWidths": [5], "CodeSize": 3, "HiddenActivation": "ReLU", "CodeActivation": "Sigmoid",
              "OutputActivation": "Sigmoid", "SparsityTarget": 0.1, "SparsityWeight": 0.5, "EncoderActivityL1": 0.001}
    build_sparse = lambda: Net(6, [5], 3, [5], "relu", "sigmoid", "sigmoid")
    vae = {"InputSize": 6, "EncoderWidths": [5], "CodeSize": 2, "Variational": True, "OutputActivation": "Sigmoid"}
    build_vae = lambda: Net(6, [5], 2, [5], "relu", "linear", "sigmoid", variational=True)
    conv_vae = {"InputSize": 64, "Image": {"Channels": 1, "Height": 8, "Width": 8}, "ConvFilters": [2, 3],
                "EncoderWidths": [4], "DecoderWidths": [], "CodeSize": 2, "Variational": True, "OutputActivation": "Sigmoid"}
    build_conv = lambda: Net(64, [4], 2, [], "relu", "linear", "sigmoid", variational=True, image=(1, 8, 8), filters=(2, 3))

    cases = {
        "training": [
            training_case("deep10-adam", deep10, build10, x10, "mse", "adam", 0.01, 3, 1),
            training_case("deep10-adam-decay", deep10, build10, x10, "mse", "adam", 0.01, 3, 2, weight_decay=0.01),
            training_case("deep10-sgd-momentum", deep10, build10, x10, "mse", "sgd", 0.05, 3, 3),
            training_case("deep10-rmsprop", deep10, build10, x10, "mse", "rmsprop", 0.005, 3, 4),
            training_case("sparse-bce-adam", sparse, build_sparse, x6, "bce", "adam", 0.01, 3, 5,
                          l1=0.001, sparsity=0.1, sparsity_weight=0.5),
        ],
        "variational": [
            variational_case("dense-vae", vae, build_vae, x6, 6),
            variational_case("conv-vae", conv_vae, build_conv, img, 8),
        ],
        "sequence": [
            sequence_case("lstm-2-layers", rng.normal(size=(6, 10)), 5, 2, 4, 3, 2, 0.01, 0.5, 3, 9),
        ],
        "versions": {"torch": torch.__version__, "numpy": np.__version__},
    }
    with open(os.path.join(HERE, "pytorch_reference.json"), "w") as f:
        json.dump(cases, f)


if __name__ == "__main__":
    main()
