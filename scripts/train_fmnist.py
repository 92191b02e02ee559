"""Fashion-MNIST CNN for DeepChip DSE: trains, evaluates on the 10k test set, exports ONNX (opset 13).

Architecture (conv-relu-pool x2, fc-relu, fc): 1x28x28 -> conv 5x5x16 pad 2 -> maxpool 2 -> conv 5x5x32 pad 2
-> maxpool 2 -> fc 128 -> fc 10. Data: Debian's dataset-fashion-mnist (IDX, gzip). Inputs are pixel / 255 in
[0, 1], the range the DSE's 8-bit unsigned activation quantization expects.

--variant float (fmnist_cnn.onnx): plain float training.
--variant mobile (fmnist_mobile.onnx): plain float training of the MobileNetV3/EfficientNet-style network of
  fmnist_mobile.py (HardSwish, squeeze-excitation, SiLU, a residual Add, a Concat).
--variant vit (fmnist_vit.onnx): plain float training of the small vision transformer of fmnist_vit.py
  (patch embedding, class token, positions, attention, LayerNorm, GELU).
--variant deepchip (fmnist_cnn_deepchip.onnx): the same network trained float for --epochs, then fine-tuned
for --qat-epochs with quantization in the loop, DeepChip style:
  - activations (the input and every ReLU output) fake-quantized to 8 bits unsigned, range = running max;
  - the middle layers (conv2, fc1) asymmetric ternary with trained scales (Trained Ternary Quantization, Zhu et
    al. 2017): w_t = +Wp if w > t * max|w|, -Wn if w < -t * max|w|, else 0, with Wp and Wn learned per layer
    (t = --ternary-threshold, the DSE's quantization.ternary_threshold);
  - the first and last layers (conv1, fc2) int8, symmetric per output channel (scale = max|w_c| / 127).
With --target-sparsity, gradual magnitude pruning runs during the QAT epochs (Zhu & Gupta 2017): every
--prune-interval steps the lowest-magnitude weights (or blocks, --prune-block KxN) of each pruned layer are
masked, the layer's sparsity following the cubic schedule s_t = s_f * (1 - (1 - t / T)^3) over the first
--prune-fraction of the QAT steps, then fine-tuning with the masks fixed. Masks are applied to the latent
weights in the forward pass and after every step, so pruned weights are exactly zero in the export. Blocks are
K x N tiles of the DSE's GEMM weight matrix (sim/compress/pruning.cpp: K in (ky, kx, c) order, the importer's HWC
flattening for FC layers), so a KxN equal to the array's rows x cols makes pruned blocks whole array folds that
zero_handling: skipping leaves out. A block's score is its mean |w|; round(s x blocks) blocks are pruned.
The exported weights are the quantized values themselves (ternary layers hold exactly {-Wn, 0, +Wp}), so the
DSE's importer recovers the trained Wp/Wn (sim/onnx/import.cpp) and its int8 quantizer the same int8 grid.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fmnist_mobile import MobileNet  # noqa: E402
from fmnist_vit import VisionTransformer  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"
BATCH = 128


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


def gemm_block_ids(weight, in_chw, bk, bn):
    """Block index of every weight element, the blocks being bk x bn tiles of the DSE's [n][k] GEMM matrix.
    Conv weights [O][I][KH][KW] have k = (ky * KW + kx) * I + c; FC weights [O][C*H*W] (ONNX flattens C, H, W)
    have k = (y * W + x) * C + c, the importer's HWC order; in_chw is the FC input's (C, H, W)."""
    if weight.dim() == 4:
        o, i, kh, kw = weight.shape
        c, y, x = torch.meshgrid(torch.arange(i), torch.arange(kh), torch.arange(kw), indexing="ij")
        k = ((y * kw + x) * i + c).reshape(1, i, kh, kw).expand(o, i, kh, kw)
        n = torch.arange(o).view(o, 1, 1, 1).expand(o, i, kh, kw)
        k_total = i * kh * kw
    else:
        o = weight.shape[0]
        ch, h, w = in_chw
        c, y, x = torch.meshgrid(torch.arange(ch), torch.arange(h), torch.arange(w), indexing="ij")
        k = ((y * w + x) * ch + c).reshape(1, -1).expand(o, -1)
        n = torch.arange(o).view(o, 1).expand(o, ch * h * w)
        k_total = ch * h * w
    k_blocks = (k_total + bk - 1) // bk
    return (n // bn) * k_blocks + k // bk


class GradualPruner:
    """Gradual magnitude pruning with the cubic schedule of Zhu & Gupta (2017), per layer, in GEMM blocks."""

    def __init__(self, layers, targets, block, end_step, interval):
        self.layers = layers  # name -> (module, FC input (C, H, W) or None)
        self.targets = targets  # name -> final sparsity
        self.end_step = max(1, end_step)
        self.interval = interval
        self.ids = {name: gemm_block_ids(layers[name][0].weight, layers[name][1], *block) for name in targets}
        self.masks = {name: torch.ones_like(layers[name][0].weight) for name in targets}

    def sparsity_at(self, name, step):
        t = min(1.0, step / self.end_step)
        return self.targets[name] * (1 - (1 - t) ** 3)

    def update(self, step):
        """Recomputes the masks at schedule points (and at the end step); returns True if they changed."""
        if step % self.interval != 0 and step != self.end_step:
            return False
        if step > self.end_step:
            return False
        for name in self.targets:
            weight = self.layers[name][0].weight.detach() * self.masks[name]
            ids = self.ids[name].flatten()
            blocks = int(ids.max()) + 1
            sums = torch.zeros(blocks).index_add_(0, ids, weight.abs().flatten())
            counts = torch.zeros(blocks).index_add_(0, ids, torch.ones(ids.numel()))
            order = torch.argsort(sums / counts, stable=True)  # ties keep block order, as in sim/compress/pruning.cpp
            pruned = torch.zeros(blocks, dtype=torch.bool)
            pruned[order[: int(round(self.sparsity_at(name, step) * blocks))]] = True
            self.masks[name] = (~pruned[ids]).float().view_as(weight)
        self.apply()
        return True

    def apply(self):
        with torch.no_grad():
            for name, mask in self.masks.items():
                self.layers[name][0].weight.mul_(mask)

    def masked(self, name, weight):
        return weight * self.masks[name] if name in self.masks else weight


class QNet(nn.Module):
    """Net with DeepChip quantization in the loop; weights initialised from a trained float Net."""

    def __init__(self, net, ternary_threshold):
        super().__init__()
        self.net = net
        self.t = ternary_threshold
        self.acts = nn.ModuleList(ActQuant() for _ in range(4))  # input, conv1, conv2, fc1 outputs
        self.pruner = None  # a GradualPruner when training sparse
        self.scales = nn.ParameterDict()
        for name, layer in self.ternary_layers().items():
            w = layer.weight.detach()
            delta = ternary_threshold * w.abs().max()
            self.scales[name + "_wp"] = nn.Parameter(w[w > delta].mean().reshape(()))
            self.scales[name + "_wn"] = nn.Parameter((-w[w < -delta]).mean().reshape(()))

    def ternary_layers(self):
        return {"conv2": self.net.features[3], "fc1": self.net.classifier[1]}

    def gemm_layers(self):
        """name -> (module, the FC input's (C, H, W) or None for a conv)."""
        f, c = self.net.features, self.net.classifier
        return {"conv1": (f[0], None), "conv2": (f[3], None), "fc1": (c[1], (32, 7, 7)), "fc2": (c[3], (128, 1, 1))}

    def latent(self, name):
        weight = self.gemm_layers()[name][0].weight
        return self.pruner.masked(name, weight) if self.pruner else weight

    def quantized_weights(self):
        f, c = self.net.features, self.net.classifier
        w = {"conv1": int_weights(self.latent("conv1")), "fc2": int_weights(self.latent("fc2"))}
        for name in self.ternary_layers():
            w[name] = TernaryFn.apply(self.latent(name), self.scales[name + "_wp"], self.scales[name + "_wn"], self.t)
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


def train(model, xtr, ytr, xte, yte, epochs, lr, label, after_step=None):
    """Adam, batch 128; after_step(step) runs after every optimizer step (the pruner's hook)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), BATCH):
            idx = perm[i : i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            step += 1
            if after_step:
                after_step(step)
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


def usage_error(message):
    """A bad command-line argument: one line on stderr, exit code 2 (as argparse's own errors)."""
    print(message, file=sys.stderr)
    sys.exit(2)


def parse_sparsity(spec):
    """"0.9" prunes conv2 and fc1 (the ternary layers, 99% of the weights) to 0.9; "conv2=0.5,fc1=0.9" names
    layers (conv1, conv2, fc1, fc2)."""
    if not spec:
        return {}
    if "=" not in spec:  # one value for the ternary layers
        spec = f"conv2={spec},fc1={spec}"
    items = spec.split(",")
    targets = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in ("conv1", "conv2", "fc1", "fc2"):
            usage_error(f"train: --target-sparsity: unknown layer '{name}' (conv1, conv2, fc1, fc2)")
        try:
            targets[name] = float(value)
        except ValueError:
            usage_error(f"train: --target-sparsity: {name}={value} is not a number")
    for name, value in targets.items():
        if not 0 <= value < 1:
            usage_error(f"train: --target-sparsity: {name}={value} is not in [0, 1)")
    return targets


def parse_block(spec):
    try:
        k, n = (int(v) for v in spec.lower().split("x"))
    except ValueError:
        usage_error(f"train: --prune-block '{spec}' is not KxN (e.g. 16x16)")
    if k < 1 or n < 1:
        usage_error(f"train: --prune-block '{spec}': both sides must be at least 1")
    return k, n


def sparsity_record(qnet, exported, block):
    """Per layer: the fraction of exported weights that are zero, and of GEMM blocks that are all zero."""
    out_layers = {"conv1": exported.features[0], "conv2": exported.features[3], "fc1": exported.classifier[1],
                  "fc2": exported.classifier[3]}
    record = {}
    for name, (_, in_chw) in qnet.gemm_layers().items():
        w = out_layers[name].weight.detach()
        ids = gemm_block_ids(w, in_chw, *block).flatten()
        nonzero = torch.zeros(int(ids.max()) + 1).index_add_(0, ids, (w != 0).float().flatten())
        record[name] = {"weights": w.numel(), "zero_fraction": round((w == 0).float().mean().item(), 6),
                        "zero_blocks": round((nonzero == 0).float().mean().item(), 6)}
    return record


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--variant", choices=["float", "deepchip", "mobile", "vit"], default="float")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--qat-epochs", type=int, default=3)
    parser.add_argument("--ternary-threshold", type=float, default=0.05)
    parser.add_argument("--target-sparsity", default="", help="0.9, or per layer: conv2=0.5,fc1=0.9")
    parser.add_argument("--prune-block", default="1x1", help="KxN block of the GEMM weight matrix")
    parser.add_argument("--prune-fraction", type=float, default=2 / 3,
                        help="the schedule reaches the target after this fraction of the QAT steps")
    parser.add_argument("--prune-interval", type=int, default=50, help="steps between mask updates")
    parser.add_argument("--name", default="", help="output stem (default by variant and sparsity)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    targets = parse_sparsity(args.target_sparsity)
    block = parse_block(args.prune_block)
    if targets and args.variant != "deepchip":
        usage_error("train: --target-sparsity needs --variant deepchip")
    if not 0 < args.prune_fraction <= 1:
        usage_error("train: --prune-fraction must be in (0, 1]")
    if args.prune_interval < 1:
        usage_error("train: --prune-interval must be at least 1")
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    xtr, ytr = load("train")
    xte, yte = load("test")
    start = time.time()
    net = {"mobile": MobileNet, "vit": VisionTransformer}.get(args.variant, Net)()
    train(net, xtr, ytr, xte, yte, args.epochs, 1e-3, "float")
    command = f"scripts/train --variant {args.variant} --epochs {args.epochs} --seed {args.seed}"
    record = {"dataset": "fashion_mnist", "test_images": len(xte), "epochs": args.epochs, "seed": args.seed,
              "torch": torch.__version__}
    name_arg = f" --name {args.name}" if args.name else ""
    if args.variant in ("float", "mobile", "vit"):
        stem = args.name or {"mobile": "fmnist_mobile", "vit": "fmnist_vit"}.get(args.variant, "fmnist_cnn")
        record.update({"model": stem + ".onnx", "float_test_accuracy": accuracy(net, xte, yte),
                       "command": command + name_arg, "train_seconds": round(time.time() - start, 1)})
        export(net, args.out, stem, record)
        return
    qnet = QNet(net, args.ternary_threshold)
    after_step = None
    command += f" --qat-epochs {args.qat_epochs} --ternary-threshold {args.ternary_threshold}"
    if targets:
        steps = args.qat_epochs * ((len(xtr) + BATCH - 1) // BATCH)
        end_step = int(round(args.prune_fraction * steps))
        qnet.pruner = GradualPruner(qnet.gemm_layers(), targets, block, end_step, args.prune_interval)
        after_step = lambda step: qnet.pruner.update(step) or qnet.pruner.apply()
        command += (f" --target-sparsity {','.join(f'{k}={v}' for k, v in sorted(targets.items()))}"
                    f" --prune-block {block[0]}x{block[1]} --prune-fraction {args.prune_fraction:.4g}"
                    f" --prune-interval {args.prune_interval}")
        record["pruning"] = {"method": "gradual magnitude pruning, cubic schedule (Zhu & Gupta 2017)",
                             "targets": targets, "block_k_by_n": list(block), "schedule_end_step": end_step,
                             "qat_steps": steps, "interval_steps": args.prune_interval}
    train(qnet, xtr, ytr, xte, yte, args.qat_epochs, 5e-4, "qat", after_step)
    exported = qnet.export_net()
    stem = args.name or ("fmnist_cnn_deepchip" + ("_sparse" if targets else ""))
    scales = {k: round(v.item(), 6) for k, v in qnet.scales.items()}
    record.update({
        "model": stem + ".onnx",
        # The exported graph (quantized weights, float activations), what the DSE's float executor runs:
        "float_test_accuracy": accuracy(exported, xte, yte),
        # With the 8-bit activation fake quantization of training (running-max ranges):
        "qat_test_accuracy": accuracy(qnet, xte, yte),
        "qat_epochs": args.qat_epochs,
        "ternary_threshold": args.ternary_threshold,
        "ternary_layers": sorted(qnet.ternary_layers()),
        "int8_layers": ["conv1", "fc2"],
        "trained_scales": scales,
        "sparsity": sparsity_record(qnet, exported, block),
        "command": command + name_arg,
        "train_seconds": round(time.time() - start, 1)})
    export(exported, args.out, stem, record)


if __name__ == "__main__":
    main()
