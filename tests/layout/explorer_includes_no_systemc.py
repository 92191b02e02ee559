#!/usr/bin/env python3
"""Fails if any translation unit of explorer/ includes a SystemC or TLM header, directly or through another
header (README "Architecture": the explorer reaches the SystemC models only through models/system/evaluate.hpp).
Reads the build's compile_commands.json and asks the compiler for each file's dependencies (-M)."""
import json
import shlex
import subprocess
import sys

build_dir, source_dir = sys.argv[1], sys.argv[2]
commands = json.load(open(f"{build_dir}/compile_commands.json"))
units = [c for c in commands if c["file"].startswith(f"{source_dir}/explorer/")]
if not units:
    sys.exit(f"no explorer/ translation unit in {build_dir}/compile_commands.json")
bad = []
for unit in units:
    args = shlex.split(unit["command"])
    if "-o" in args:
        i = args.index("-o")
        del args[i:i + 2]
    deps = subprocess.run(args + ["-M"], cwd=unit["directory"], capture_output=True, text=True, check=True)
    headers = deps.stdout.replace("\\\n", " ").split()[1:]
    def forbidden(h):
        systemc = "/sysc/" in h or "/tlm" in h or h.endswith("/systemc") or h.endswith("/systemc.h")
        model = h.startswith(f"{source_dir}/models/") and h != f"{source_dir}/models/system/evaluate.hpp"
        return systemc or model
    for h in filter(forbidden, headers):
        bad.append(f"{unit['file']}: includes {h}")
for line in bad:
    print(line)
print(f"{len(units)} explorer/ translation units checked, {len(bad)} SystemC or model headers")
sys.exit(1 if bad else 0)
