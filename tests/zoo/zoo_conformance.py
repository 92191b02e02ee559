#!/usr/bin/env python3
"""The whole torchvision 0.14 CNN list through dse, outside CI (sim/README.md "Network formats"):

  zoo_conformance.py DSE CACHE_DIR OUT_MD [MODEL... | --transformers]

Every classification CNN of torchvision 0.14 with at most 100 M parameters (with --transformers: the
vision transformers, Swin and ConvNeXt at 224 x 224, the small ViT at 32 x 32 and the BERT encoders at 128
tokens, cycle-level at 32 x 32 and 16 tokens), exported and checked as the `zoo` ctest label does
(torchvision_zoo_test.py): float output against PyTorch's, MAC total against PyTorch's, golden-exact on tile,
and timing; then golden-exactness and MACs with the cycle-level array at a small input (32 x 32; inception_v3
80, alexnet 224). Input 64 x 64, except inception_v3 (96: its stride-2 stages need at least 75) and alexnet (224:
its adaptive pool exports only when the map is a multiple of 6). Writes a Markdown table (model, ok,
timing cycles, MACs, float error relative to the largest output, the cycle-level run, seconds) to OUT_MD as it
goes.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torchvision_zoo_test import TRANSFORMERS, check  # noqa: E402


def transformer_models():
    """torchvision 0.14's transformer-era models with at most 100 M parameters (vit, swin, convnext), the BERT
    encoders of encoders.py, the small ViT and the GPT-2-style decoders of decoders.py."""
    import torchvision
    names = []
    for name in sorted(torchvision.models.list_models(module=torchvision.models)):
        if not name.startswith(TRANSFORMERS):
            continue
        model = torchvision.models.get_model(name)
        if sum(p.numel() for p in model.parameters()) <= 100_000_000:
            names.append(name)
    return names + ["vit_tiny", "bert_tiny", "bert_base", "gpt2_block", "gpt2_tiny"]


def cnn_models():
    """torchvision 0.14's classification CNNs with at most 100 M parameters, by name."""
    import torchvision
    names = []
    for name in sorted(torchvision.models.list_models(module=torchvision.models)):
        if name.startswith(TRANSFORMERS):
            continue
        model = torchvision.models.get_model(name)
        if sum(p.numel() for p in model.parameters()) <= 100_000_000:
            names.append(name)
    return names


SIZES = {"inception_v3": 96, "alexnet": 224, "vit_tiny": 32, "bert_tiny": 128, "bert_base": 128, "gpt2_block": 128,
         "gpt2_tiny": 128}
CYCLE_SIZES = {"inception_v3": 80, "alexnet": 224, "bert_tiny": 16, "bert_base": 16, "gpt2_block": 16,
               "gpt2_tiny": 16}  # the cycle-level run (32)


def size_of(name):
    """The main input: 64 x 64 for CNNs, 224 x 224 for the vision transformers and ConvNeXt (their own
    resolution), 128 tokens for BERT and the decoders."""
    return SIZES.get(name, 224 if name.startswith(TRANSFORMERS) else 64)


def main():
    dse, cache, out_md = sys.argv[1], sys.argv[2], sys.argv[3]
    models = sys.argv[4:] or cnn_models()
    if models == ["--transformers"]:
        models = transformer_models()
    rows = ["| model | input | ok | timing cycles (16x16) | MACs (= PyTorch) | float error | cycle-level | seconds |",
            "|---|---|---|---|---|---|---|---|"]
    failed = 0
    for name in models:
        size = size_of(name)
        start = time.time()
        small = CYCLE_SIZES.get(name, 32)
        try:
            r = check(dse, cache, name, size, ["tile", "timing"])
            c = check(dse, cache, name, small, ["cycle"], float_check=False)
            r["failures"] += c["failures"]
            cycle = f"{small}: {c['cycles']['cycle']} cycles, golden-exact" if not c["failures"] else "-"
        except Exception as e:  # an export that fails is a row too
            r = {"failures": [f"{type(e).__name__}: {e}"], "float_error": None, "macs": None, "cycles": {}}
            cycle = "-"
        seconds = time.time() - start
        ok = not r["failures"]
        failed += not ok
        err = f"{r['float_error']:.1e}" if r["float_error"] is not None else "-"
        rows.append(f"| {name} | {size} | {'yes' if ok else 'NO: ' + r['failures'][0][:80]} | "
                    f"{r['cycles'].get('timing', '-')} | {r['macs'] or '-'} | {err} | {cycle} | {seconds:.0f} |")
        with open(out_md + ".tmp", "w") as f:
            f.write("\n".join(rows) + "\n")
        os.replace(out_md + ".tmp", out_md)
        print(rows[-1], flush=True)
    print(f"{len(models) - failed} of {len(models)} models pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
