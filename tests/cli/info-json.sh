#!/bin/sh
# info-json.sh - `secsoc info --json` is one object with a devices array
# whose fields are the ones docs/cli.md documents.
# usage: info-json.sh SECSOC BOARDS_DIR
set -eu
secsoc=$1
# Each script works in its own directory: ctest runs them in parallel.
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
"$secsoc" info --json > info.json
python3 - info.json <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
devs = doc["devices"]
fields = {"path", "compatible", "status", "model", "version", "driver", "driver_state",
          "properties"}
for d in devs:
    missing = fields - d.keys()
    assert not missing, "%s lacks %s" % (d.get("path"), missing)
by_path = {d["path"]: d for d in devs}
tzc = by_path["/soc@0/tzc@a000000"]
assert tzc["model"] == "tzc400" and tzc["properties"]["regions"] == 9, tzc
bam = by_path["/soc@0/dma-controller@1dc4000"]
assert bam["model"] == "no model yet", bam
assert bam["compatible"] == ["qcom,bam-v1.7.4", "qcom,bam-v1.7.0"], bam
gic = by_path["/soc@0/interrupt-controller@17100000"]
assert gic["driver"] == "gic" and gic["driver_state"] == "bound", gic
assert doc["secure_world"] is True
print("info ok: %d devices" % len(devs))
PY
