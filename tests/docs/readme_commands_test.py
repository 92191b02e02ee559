#!/usr/bin/env python3
"""Every command block of README.md runs and exits 0.

  readme_commands_test.py DSE SOURCE_DIR

Each ```sh block runs in bash -e in a scratch folder (with configs/ linked into it), with `scripts/dse` and
`build/explorer/dse` replaced by the dse under test and /tmp/ by the scratch folder. Left out: `scripts/test`
(this test is part of it) and `chromium` (opening a page; the browser tests open every report).
"""
import os
import re
import subprocess
import sys
import tempfile


def commands(readme):
    return re.findall(r"```sh\n(.*?)```", open(readme, encoding="utf-8").read(), re.S)


def runnable(block, dse, scratch):
    lines = [l for l in block.splitlines() if not l.startswith(("scripts/test", "chromium "))]
    # /tmp/ first: the dse under test may itself live under /tmp (a CI clone).
    script = ("\n".join(lines) + "\n").replace("/tmp/", scratch + "/")
    return script.replace("build/explorer/dse", dse).replace("scripts/dse", dse)


def main():
    dse, source = sys.argv[1:3]
    blocks = commands(os.path.join(source, "README.md"))
    if not blocks:
        print("README.md has no sh block", file=sys.stderr)
        return 1
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        os.symlink(os.path.join(source, "configs"), os.path.join(scratch, "configs"))
        for i, block in enumerate(blocks):
            script = runnable(block, dse, scratch)
            p = subprocess.run(["bash", "-e", "-c", script], cwd=scratch, text=True, capture_output=True,
                               env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
            status = "ok" if p.returncode == 0 else f"FAILED (exit {p.returncode})"
            print(f"block {i + 1} of {len(blocks)}: {status}\n{block}", file=sys.stderr)
            if p.returncode != 0:
                failures += 1
                print(p.stdout[-2000:] + p.stderr[-2000:], file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
