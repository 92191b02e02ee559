"""Fashion-MNIST CNN for DeepChip DSE: trains, evaluates on the 10k test set, exports ONNX (opset 13).

Architecture (conv-relu-pool x2, fc-relu, fc): 1x28x28 -> conv 5x5x16 pad 2 -> maxpool 2 -> conv 5x5x32 pad 2
-> maxpool 2 -> fc 128 -> fc 10. Data: Debian's dataset-fashion-mnist (IDX, gzip). Inputs are pixel / 255 in
[0, 1], the range the DSE's 8-bit unsigned activation quantization expects.

--variant float (fmnist_cnn.onnx): plain float training.
--variant deepchip (fmnist_cnn_deepchip.onnx): the same network trained float for --epochs, then fine-tuned
for --qat-epochs with quantization in the loop, DeepChip style:
  - activations (the input and every ReLU output) fake-quantized to 8 bits unsigned, range = running max;
  - the middle layers (conv2, fc1) asymmetric ternary with trained scales (Trained Ternary Quantization, Zhu et
    al. 2017): w_t = +Wp if w > t * max|w|, -Wn if w < -t * max|w|, else 0, with Wp and Wn learned per layer
    (t = --ternary-threshold, the DSE's quantization.ternary_threshold);
  - the first and last layers (conv1, fc2) int8, symmetric per output channel (scale = max|w_c| / 127).
The exported weights are the quantized values themselves (ternary layers hold exactly {-Wn, 0, +Wp}), so the
DSE's importer recovers the trained Wp/Wn (sim/onnx_import.cpp) and its int8 quantizer the same int8 grid.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, path
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(split):
    prefix = "t10k" if split == "test" else "train"
    images = read_idx(f"{DATA}/{prefix}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    labels = read_idx(f"{DATA}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class RoundSTE(torch.autograd.Function):
    """round() with the straight-through gradient."""

    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, g):
        return g


class ActQuant(nn.Module):
    """8-bit unsigned fake quantization of a non-negative activation, range = running max (EMA in training)."""

    def __init__(self, bits=8, momentum=0.05):
        super().__init__()
        self.qmax = 2 ** bits - 1
        self.momentum = momentum
        self.register_buffer("max", torch.zeros(()))

    def forward(self, x):
        if self.training:
            m = x.detach().max()
            self.max = m if self.max == 0 else (1 - self.momentum) * self.max + self.momentum * m
        scale = self.max.clamp(min=1e-8) / self.qmax
        return torch.clamp(RoundSTE.apply(x / scale), 0, self.qmax) * scale


def int_weights(w, bits=8):
    """Symmetric per-output-channel fake quantization (the DSE's int quantizer: scale = max|w_c| / (2^(b-1)-1))."""
    wmax = 2 ** (bits - 1) - 1
    scale = w.detach().abs().flatten(1).max(1)[0].clamp(min=1e-12) / wmax
    scale = scale.view(-1, *([1] * (w.dim() - 1)))
    return torch.clamp(RoundSTE.apply(w / scale), -wmax, wmax) * scale


class TernaryFn(torch.autograd.Function):
    """Trained Ternary Quantization: forward +Wp / 0 / -Wn around t * max|w|; gradients to Wp, Wn and (scaled)
    to the latent float weights."""

    @staticmethod
    def forward(ctx, w, wp, wn, t):
        delta = t * w.abs().max()
        pos = (w > delta).float()
        neg = (w < -delta).float()
        ctx.save_for_backward(pos, neg, wp, wn)
        return wp * pos - wn * neg

    @staticmethod
    def backward(ctx, g):
        pos, neg, wp, wn = ctx.saved_tensors
        grad_w = wp * pos * g + (1 - pos - neg) * g + wn * neg * g
        return grad_w, (pos * g).sum(), -(neg * g).sum(), None


class QNet(nn.Module):
    """Net with DeepChip quantization in the loop; weights initialised from a trained float Net."""

    def __init__(self, net, ternary_threshold):
        super().__init__()
        self.net = net
        self.t = ternary_threshold
        self.acts = nn.ModuleList(ActQuant() for _ in range(4))  # input, conv1, conv2, fc1 outputs
        self.scales = nn.ParameterDict()
        for name, layer in self.ternary_layers().items():
            w = layer.weight.detach()
            delta = ternary_threshold * w.abs().max()
            self.scales[name + "_wp"] = nn.Parameter(w[w > delta].mean().reshape(()))
            self.scales[name + "_wn"] = nn.Parameter((-w[w < -delta]).mean().reshape(()))

    def ternary_layers(self):
        return {"conv2": self.net.features[3], "fc1": self.net.classifier[1]}

    def quantized_weights(self):
        f, c = self.net.features, self.net.classifier
        w = {"conv1": int_weights(f[0].weight), "fc2": int_weights(c[3].weight)}
        for name, layer in self.ternary_layers().items():
            w[name] = TernaryFn.apply(layer.weight, self.scales[name + "_wp"], self.scales[name + "_wn"], self.t)
        return w

    def forward(self, x):
        f, c = self.net.features, self.net.classifier
        w = self.quantized_weights()
        x = self.acts[0](x)
        x = F.max_pool2d(self.acts[1](F.relu(F.conv2d(x, w["conv1"], f[0].bias, padding=2))), 2)
        x = F.max_pool2d(self.acts[2](F.relu(F.conv2d(x, w["conv2"], f[3].bias, padding=2))), 2)
        x = self.acts[3](F.relu(F.linear(x.flatten(1), w["fc1"], c[1].bias)))
        return F.linear(x, w["fc2"], c[3].bias)

    def export_net(self):
        """A plain Net holding the quantized weight values (what the ONNX file stores)."""
        with torch.no_grad():
            w = self.quantized_weights()
            out = Net()
            out.load_state_dict(self.net.state_dict())
            f, c = out.features, out.classifier
            f[0].weight.copy_(w["conv1"])
            f[3].weight.copy_(w["conv2"])
            c[1].weight.copy_(w["fc1"])
            c[3].weight.copy_(w["fc2"])
        return out


def train(model, xtr, ytr, xte, yte, epochs, lr, label):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            idx = perm[i : i + 128]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        print(f"{label} epoch {epoch + 1}: test accuracy {accuracy(model, xte, yte):.4f}", file=sys.stderr)


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i : i + 1000]).argmax(1) == y[i : i + 1000]).sum().item()
    return correct / len(x)


def export(model, out_dir, stem, record):
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), os.path.join(out_dir, stem + ".onnx"), opset_version=13,
                      input_names=["image"], output_names=["logits"])
    with open(os.path.join(out_dir, stem + ".json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(json.dumps(record))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--variant", choices=["float", "deepchip"], default="float")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--qat-epochs", type=int, default=3)
    parser.add_argument("--ternary-threshold", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    xtr, ytr = load("train")
    xte, yte = load("test")
    start = time.time()
    net = Net()
    train(net, xtr, ytr, xte, yte, args.epochs, 1e-3, "float")
    command = f"scripts/train --variant {args.variant} --epochs {args.epochs} --seed {args.seed}"
    record = {"dataset": "fashion_mnist", "test_images": len(xte), "epochs": args.epochs, "seed": args.seed,
              "torch": torch.__version__}
    if args.variant == "float":
        record.update({"model": "fmnist_cnn.onnx", "float_test_accuracy": accuracy(net, xte, yte),
                       "command": command, "train_seconds": round(time.time() - start, 1)})
        export(net, args.out, "fmnist_cnn", record)
        return
    qnet = QNet(net, args.ternary_threshold)
    train(qnet, xtr, ytr, xte, yte, args.qat_epochs, 5e-4, "qat")
    exported = qnet.export_net()
    scales = {k: round(v.item(), 6) for k, v in qnet.scales.items()}
    record.update({
        "model": "fmnist_cnn_deepchip.onnx",
        # The exported graph (quantized weights, float activations), what the DSE's float executor runs:
        "float_test_accuracy": accuracy(exported, xte, yte),
        # With the 8-bit activation fake quantization of training (running-max ranges):
        "qat_test_accuracy": accuracy(qnet, xte, yte),
        "qat_epochs": args.qat_epochs,
        "ternary_threshold": args.ternary_threshold,
        "ternary_layers": sorted(qnet.ternary_layers()),
        "int8_layers": ["conv1", "fc2"],
        "trained_scales": scales,
        "command": command + f" --qat-epochs {args.qat_epochs} --ternary-threshold {args.ternary_threshold}",
        "train_seconds": round(time.time() - start, 1)})
    export(exported, args.out, "fmnist_cnn_deepchip", record)


if __name__ == "__main__":
    main()
