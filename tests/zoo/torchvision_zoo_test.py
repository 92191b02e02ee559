#!/usr/bin/env python3
"""A stock torchvision model, exported as a designer would, through dse (ctest label `zoo`).

  torchvision_zoo_test.py DSE CACHE_DIR MODEL SIZE IMPL...

MODEL is a torchvision classification model (SIZE: the image side), an encoder of encoders.py (bert_tiny,
bert_base) or a decoder of decoders.py (gpt2_block, gpt2_tiny; SIZE: the tokens). The model (torchvision 0.14's definition, Debian's python3-torch 1.13 and python3-torchvision, random weights
seeded with 0, BatchNorm statistics calibrated on random batches) is exported with `torch.onnx.export(model, x, path, opset_version=13)` at SIZE x SIZE together
with a random input, PyTorch's own output and PyTorch's MAC count (conv: output elements x in/groups x kh x kw;
linear: rows x in x out; multi-head attention: its projections and Q.K^T and P.V, 2 x T^2 x D; Swin's window
attention likewise over its padded windows; from forward hooks), all cached in CACHE_DIR. Then:
  - `dse infer` (float executor) equals PyTorch's output within 1e-4 of the largest output magnitude;
  - `dse run` on every IMPL (tile, timing, cycle) ends ok with its outputs golden-exact where numerics run (dse
    exits 1 otherwise), and its total MACs equal PyTorch's count.
Prints one line per check; exits 1 on any failure.
"""
import json
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto, numpy_helper


TRANSFORMERS = ("vit", "swin", "convnext", "maxvit")  # families with LayerNorm, GELU or attention


def export(name, size, cache):
    """The cached export of `name` at `size`: (model, input, output, macs) paths."""
    stem = os.path.join(cache, f"{name}_{size}_rms")
    paths = (stem + ".onnx", stem + "_input.pb", stem + "_output.pb", stem + "_macs.json")
    if all(os.path.exists(p) for p in paths):
        return paths
    import torch  # only when the cache is cold
    import torchvision
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import decoders
    import encoders
    torch.manual_seed(0)
    if name in encoders.SIZES:
        model = encoders.encoder(name).eval()
        x = torch.randn(1, size, encoders.SIZES[name][1])
    elif name in decoders.SIZES:
        model = decoders.decoder(name).eval()
        x = torch.randn(1, size, decoders.SIZES[name][1])
    else:
        if name == "vit_tiny":
            model = encoders.vit_tiny(size)
        elif name.startswith("vit"):  # the positional embedding is sized for the image
            model = getattr(torchvision.models, name)(image_size=size)
        else:
            model = getattr(torchvision.models, name)()
        if name.startswith(TRANSFORMERS):
            randomize_zero_parameters(model)
        calibrate_batch_norm(model, size)
        x = torch.randn(1, 3, size, size)
    macs = [0]
    hooks = [mod.register_forward_hook(hook) for mod, hook in mac_hooks(model, macs)]
    with torch.no_grad():
        y = model(x).numpy()
    for h in hooks:  # the export traces the model again: count only the forward pass above
        h.remove()
    os.makedirs(cache, exist_ok=True)
    torch.onnx.export(model, x, paths[0] + ".tmp", opset_version=13)
    with open(paths[1], "wb") as f:
        f.write(numpy_helper.from_array(x.numpy()).SerializeToString())
    with open(paths[2], "wb") as f:
        f.write(numpy_helper.from_array(y).SerializeToString())
    with open(paths[3], "w") as f:
        json.dump({"macs": macs[0]}, f)
    os.replace(paths[0] + ".tmp", paths[0])  # the model last: a complete cache entry or none
    return paths


def mac_hooks(model, macs):
    """(module, forward hook) pairs adding each module's multiply-accumulates to macs[0]."""
    import torch
    import torchvision

    def conv_hook(mod, inp, out):
        macs[0] += out.numel() // out.shape[0] * (mod.in_channels // mod.groups) * mod.kernel_size[0] * \
            mod.kernel_size[1]

    def linear_hook(mod, inp, out):  # every row of the input (tokens, pixels) through the layer
        macs[0] += out.numel() // out.shape[-1] * mod.in_features * mod.out_features

    def attention_hook(mod, inp, out):  # in_proj, Q.K^T, P.V and out_proj (the fast path calls no Linear)
        t = out[0].shape[1] if mod.batch_first else out[0].shape[0]  # (ViT passes its inputs by keyword)
        e = mod.embed_dim
        macs[0] += t * e * 3 * e + 2 * t * t * e + t * e * e

    def window_attention_hook(mod, inp, out):  # qkv, per window Q.K^T and P.V, proj: over the padded map
        _, h, w, c = inp[0].shape
        wh, ww = mod.window_size
        tokens = -(-h // wh) * wh * -(-w // ww) * ww
        macs[0] += tokens * c * 3 * c + 2 * tokens * wh * ww * c + tokens * c * c

    def encoder_layer_hook(mod, inp, out):  # attention and MLP (eval's fast path calls no submodule)
        t, e, f = inp[0].shape[1] if mod.self_attn.batch_first else inp[0].shape[0], mod.linear1.in_features, \
            mod.linear1.out_features
        macs[0] += t * e * 3 * e + 2 * t * t * e + t * e * e + 2 * t * e * f

    windowed = [m for m in model.modules() if isinstance(m, torchvision.models.swin_transformer.ShiftedWindowAttention)]
    functional = {id(m.qkv) for m in windowed} | {id(m.proj) for m in windowed}  # read as weights only
    for layer in model.modules():  # counted whole by encoder_layer_hook
        if isinstance(layer, torch.nn.TransformerEncoderLayer):
            functional |= {id(m) for m in layer.modules() if m is not layer}
    def decoder_attention_hook(mod, inp, out):  # Q.K^T and P.V of decoders.py (its projections: Linear)
        macs[0] += mod.attention_macs(inp[0])

    pairs = []
    for mod in model.modules():
        if id(mod) in functional:
            continue
        if hasattr(mod, "attention_macs"):
            pairs.append((mod, decoder_attention_hook))
        if isinstance(mod, torch.nn.TransformerEncoderLayer):
            pairs.append((mod, encoder_layer_hook))
        elif isinstance(mod, torch.nn.Conv2d):
            pairs.append((mod, conv_hook))
        elif isinstance(mod, torch.nn.MultiheadAttention):
            pairs.append((mod, attention_hook))
        elif isinstance(mod, torchvision.models.swin_transformer.ShiftedWindowAttention):
            pairs.append((mod, window_attention_hook))
        elif isinstance(mod, torch.nn.Linear) and not isinstance(
                mod, torch.nn.modules.linear.NonDynamicallyQuantizableLinear):  # out_proj: counted above
            pairs.append((mod, linear_hook))
    return pairs


def randomize_zero_parameters(model):
    """torchvision initializes some parameters to zero (ViT's classification head, its class token and
    positional embedding): drawn at random instead, so that the output depends on the whole network."""
    import torch
    with torch.no_grad():
        for p in model.parameters():
            if p.abs().max() == 0:
                p.normal_(0, 0.05) if p.dim() > 1 else p.uniform_(-0.1, 0.1)


def calibrate_batch_norm(model, size):
    """Gives the random model the activations of a trained one: BatchNorm affine parameters drawn at random and
    running statistics measured on random batches, so that every layer's output is O(1) instead of vanishing
    (torchvision's init leaves mean 0, variance 1: no normalization at all) and every nonlinearity is
    exercised over its whole range. The statistics are the second moment about zero (running_mean 0,
    running_var E[x^2]): subtracting a large measured mean from conv outputs of a small spread is a float32
    cancellation that left PyTorch's own float32 resnet152 4.5e-4 of its largest output off its float64
    result, which would measure PyTorch's rounding rather than dse's. The model is left in eval mode."""
    import torch
    model.eval()  # dropout, stochastic depth and auxiliary heads as in inference; only BatchNorm measures
    norms = [mod for mod in model.modules() if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm)]
    for mod in norms:
        mod.momentum = None
        mod.reset_running_stats()
        with torch.no_grad():
            mod.weight.uniform_(0.5, 1.5)
            mod.bias.normal_(0.0, 0.25)
        mod.train()
    with torch.no_grad():
        for _ in range(4):
            model(torch.randn(8, 3, size, size))
        for mod in norms:
            mod.running_var += mod.running_mean ** 2
            mod.running_mean.zero_()
    model.eval()


def tensor(path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def check(dse, cache, name, size, impls, float_check=True):
    """Runs every check on one model; returns a dict: failures (list), float_error (relative to the largest
    output), macs, torch_macs, cycles (by implementation). float_check=False does not compare `dse
    infer`'s output with PyTorch's (the conformance run's second, cycle-level size checks golden-exactness and
    MACs only)."""
    model, inp, out, macs_file = export(name, size, cache)
    work = os.path.join(cache, "work", f"{name}_{size}")
    os.makedirs(work, exist_ok=True)
    r = {"failures": [], "float_error": None, "macs": None, "cycles": {}}
    failures = r["failures"]

    got_path = os.path.join(work, "dse_output.pb")
    p = subprocess.run([dse, "infer", "--model", model, "--input", inp, "--output", got_path], text=True,
                       capture_output=True)
    if p.returncode != 0:
        failures.append(f"dse infer exit {p.returncode}: {p.stderr.strip()}")
    elif float_check:
        want, got = tensor(out), tensor(got_path)
        err = float(np.abs(got.reshape(want.shape) - want).max())
        scale = float(np.abs(want).max())
        r["float_error"] = err / max(scale, 1e-30)
        print(f"{name} {size}x{size}: float output max error {err:.3g} (largest output {scale:.3g})")
        if err > 1e-4 * max(scale, 1e-30):
            failures.append(f"float output differs from PyTorch's by {err:.3g} > 1e-4 x {scale:.3g}")

    r["torch_macs"] = torch_macs = json.load(open(macs_file))["macs"]
    for impl in impls:
        config = os.path.join(work, f"point_{impl}.json")
        with open(config, "w") as f:
            json.dump({"network": model, "hardware": {"array_impl": impl, "array_rows": 16, "array_cols": 16}}, f)
        out_dir = os.path.join(work, impl)
        p = subprocess.run([dse, "run", "--config", config, "--out", out_dir], text=True, capture_output=True)
        if p.returncode != 0:
            failures.append(f"dse run on {impl}: exit {p.returncode}: {p.stderr.strip()[-300:]}")
            continue
        result = json.load(open(os.path.join(out_dir, "result.json")))
        total = result["total"]
        r["macs"] = total["macs"]
        r["cycles"][impl] = total["cycles"]
        print(f"{name} {size}x{size} on {impl}: {total['cycles']} cycles, {total['macs']} MACs, "
              f"golden_match {result['golden_match']}, verified {result['verified']}")
        if total["macs"] != torch_macs:
            failures.append(f"{impl}: {total['macs']} MACs, PyTorch counts {torch_macs}")
        if result["verified"] != (impl != "timing") or not result["golden_match"] and impl != "timing":
            failures.append(f"{impl}: outputs not golden-exact")
    return r


def main():
    dse, cache, name, size, impls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
    failures = check(dse, cache, name, size, impls)["failures"]
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
