#!/usr/bin/env bash
# Regenerates expected/ by running SCALE-Sim v2 itself on every case of cases.txt (SCALE-Sim's reports are
# the reference; nothing of SCALE-Sim's code is in this project).
#   regenerate.sh SCALE_SIM_DIR [CASE...]
# SCALE_SIM_DIR: a checkout of github.com/scalesim-project/scale-sim-v2. The stored references come from
# its commit 22f88b1 run with Debian 12's python3 (3.11) and python3-numpy, -pandas, -tqdm, -absl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scalesim="$(cd "$1" && pwd)"
shift
work=$(mktemp -d)
while read -r name rows cols dataflow topology input; do
  case "$name" in ''|'#'*) continue ;; esac
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  sed "s/@NAME@/$name/; s/@ROWS@/$rows/; s/@COLS@/$cols/; s/@DATAFLOW@/$dataflow/" "$here/config.cfg.in" > "$work/$name.cfg"
  (cd "$scalesim" && PYTHONPATH=. /usr/bin/python3 scalesim/scale.py -c "$work/$name.cfg" -t "$here/$topology" \
     -p "$work" -i "$input" > "$work/$name.log" 2>&1)
  mkdir -p "$here/expected/$name"
  cp "$work/$name/COMPUTE_REPORT.csv" "$work/$name/BANDWIDTH_REPORT.csv" "$work/$name/DETAILED_ACCESS_REPORT.csv" \
     "$here/expected/$name/"
  echo "regenerated $name"
done < "$here/cases.txt"
rm -rf "$work"
