"""Fashion-MNIST CNN for DeepChip DSE: trains in float, evaluates on the 10k test set, exports ONNX (opset 13).

Architecture (conv-relu-pool x2, fc-relu, fc): 1x28x28 -> conv 5x5x16 pad 2 -> maxpool 2 -> conv 5x5x32 pad 2
-> maxpool 2 -> fc 128 -> fc 10. Data: Debian's dataset-fashion-mnist (IDX, gzip). Inputs are pixel / 255 in
[0, 1], the range the DSE's 8-bit unsigned activation quantization expects.
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


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i : i + 1000]).argmax(1) == y[i : i + 1000]).sum().item()
    return correct / len(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    xtr, ytr = load("train")
    xte, yte = load("test")
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            idx = perm[i : i + 128]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: test accuracy {accuracy(model, xte, yte):.4f}", file=sys.stderr)
    acc = accuracy(model, xte, yte)
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "fmnist_cnn.onnx")
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13,
                      input_names=["image"], output_names=["logits"])
    record = {
        "model": "fmnist_cnn.onnx",
        "float_test_accuracy": acc,
        "test_images": len(xte),
        "epochs": args.epochs,
        "seed": args.seed,
        "command": f"scripts/train --epochs {args.epochs} --seed {args.seed}",
        "torch": torch.__version__,
        "train_seconds": round(time.time() - start, 1),
    }
    with open(os.path.join(args.out, "fmnist_cnn.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(json.dumps(record))


if __name__ == "__main__":
    main()
