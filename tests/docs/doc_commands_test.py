#!/usr/bin/env python3
"""Every command block of the documentation runs and exits 0.

  doc_commands_test.py DSE SOURCE_DIR BUILD_DIR [DOC ...]

The documents: README.md and the per-folder READMEs (DOCS below), or the ones named. Each ```sh block runs in
bash -e in a scratch folder (with configs/ linked into it), with `scripts/dse` and
`build/explorer/dse` replaced by the dse under test and /tmp/ by the scratch folder. Left out: `scripts/test`
(this test is part of it) and `chromium` (opening a page; the browser tests open every report).

A block may be preceded by one marker line (an HTML comment, invisible on GitHub):
  <!-- doc-test: run by NAME -->   the block is a long run that another check runs as it is: NAME is a ctest
                                    test of this build, or a file of the repository (e.g. .ci/run); this test
                                    checks that it exists, so a renamed test cannot leave the block unrun.
  <!-- doc-test: shortened JSON --> the block runs with every configs/X.json it names replaced by a copy with
                                    JSON merged in (e.g. a smaller search budget); say so in the text.
  <!-- doc-test: output -->         on a block of another language: what the last sh block printed. Every line
                                    of it but "..." must be in that block's stdout (spaces collapsed), so the
                                    numbers shown are the ones the code gives.
A command outside an sh block (a line starting with scripts/ or build/explorer/dse in another fence) fails
the test: it would be shown without being run.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

DOCS = ["README.md", "sim/README.md", "models/README.md", "hw/README.md", "explorer/README.md",
        "configs/README.md", "tests/README.md", "tests/bench/results.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
MARKER = re.compile(r"<!-- doc-test: (run by|shortened|output) ?(.*?) -->")
COMMAND = re.compile(r"^\s*(scripts/|build/explorer/dse)")


def blocks(path):
    """(line, language, marker or None, text) of every fenced block."""
    text = open(path, encoding="utf-8").read()
    for m in FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        yield line, m.group(1), (marker.group(1), marker.group(2)) if marker else None, m.group(2)


def merged(base, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged(base[key], value)
        else:
            base[key] = value
    return base


def runnable(block, dse, scratch, source, shortened):
    lines = [l for l in block.splitlines() if not l.startswith(("scripts/test", "chromium "))]
    script = "\n".join(lines) + "\n"
    if shortened is not None:
        for name in sorted(set(re.findall(r"configs/[\w./-]+\.json", script))):
            # Beside the other configs, so that the paths in it (relative to the config) still resolve.
            copy = os.path.join(scratch, "configs", "shortened_" + os.path.basename(name))
            with open(os.path.join(source, name), encoding="utf-8") as f:
                config = merged(json.load(f), shortened)
            with open(copy, "w", encoding="utf-8") as f:
                json.dump(config, f)
            script = script.replace(name, os.path.relpath(copy, scratch))
    # /tmp/ first: the dse under test may itself live under /tmp (a CI clone).
    script = script.replace("/tmp/", scratch + "/")
    return script.replace("build/explorer/dse", dse).replace("scripts/dse", dse)


def ctest_names(build):
    p = subprocess.run(["ctest", "-N"], cwd=build, text=True, capture_output=True, check=True)
    return set(re.findall(r"Test\s+#\d+: (\S+)", p.stdout))


def check_run_by(name, source, build):
    if "/" in name:
        return os.path.exists(os.path.join(source, name))
    return name in ctest_names(build)


def run_block(script, scratch):
    return subprocess.run(["bash", "-e", "-c", script], cwd=scratch, text=True, capture_output=True,
                          env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))


def collapsed(text):
    return " ".join(text.split())


def check_output(where, shown, printed):
    """The lines of a doc's output block that the command did not print."""
    missing = [l for l in shown.splitlines() if l.strip() not in ("", "...") and collapsed(l) not in printed]
    for l in missing:
        print(f"{where}: FAILED: shown but not printed: {l.strip()}", file=sys.stderr)
    if not missing:
        print(f"{where}: ok: the output shown is printed", file=sys.stderr)
    return len(missing)


def check_doc(doc, dse, source, build, scratch):
    failures = 0
    printed = None  # the last sh block's stdout, spaces collapsed
    for line, language, marker, block in blocks(os.path.join(source, doc)):
        where = f"{doc}:{line}"
        if marker and marker[0] == "output":
            if printed is None:
                print(f"{where}: FAILED: an output block with no sh block run before it", file=sys.stderr)
                failures += 1
            else:
                failures += check_output(where, block, printed)
            continue
        if language != "sh":
            stray = [l for l in block.splitlines() if COMMAND.match(l)]
            if stray:
                print(f"{where}: FAILED: a command outside an sh block: {stray[0].strip()}", file=sys.stderr)
                failures += 1
            continue
        if marker and marker[0] == "run by":
            ok = check_run_by(marker[1], source, build)
            print(f"{where}: {'ok' if ok else 'FAILED'}: run by {marker[1]}"
                  f"{'' if ok else ', which this build does not have'}", file=sys.stderr)
            failures += 0 if ok else 1
            printed = None
            continue
        shortened = json.loads(marker[1]) if marker else None
        p = run_block(runnable(block, dse, scratch, source, shortened), scratch)
        printed = collapsed(p.stdout)
        status = "ok" if p.returncode == 0 else f"FAILED (exit {p.returncode})"
        print(f"{where}: {status}{' (shortened)' if shortened else ''}\n{block}", file=sys.stderr)
        if p.returncode != 0:
            failures += 1
            print(p.stdout[-2000:] + p.stderr[-2000:], file=sys.stderr)
    return failures


def main():
    dse, source, build = sys.argv[1:4]
    docs = sys.argv[4:] or DOCS
    failures = 0
    for doc in docs:
        with tempfile.TemporaryDirectory() as scratch:
            # configs/ as a folder of links to the source's entries, so that shortened copies can be added.
            os.mkdir(os.path.join(scratch, "configs"))
            for entry in os.listdir(os.path.join(source, "configs")):
                os.symlink(os.path.join(source, "configs", entry), os.path.join(scratch, "configs", entry))
            failures += check_doc(doc, dse, source, build, scratch)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
