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
assert bam["model"] == "bam", bam
assert bam["compatible"] == ["qcom,bam-v1.7.4", "qcom,bam-v1.7.0"], bam
want = {"version": "1.7.0", "pipes": 20, "ees": 4, "linux_ee": 0, "secure_ee": 1,
        "pipe_lock_supported": True, "interrupt": 304}
for k, v in want.items():
    assert bam["properties"][k] == v, (k, bam["properties"])
qce = by_path["/soc@0/crypto@1dfa000"]
assert qce["model"] == "qce", qce
assert qce["properties"]["rx_pipe"] == 4 and qce["properties"]["pipe_pair"] == 2, qce
gic = by_path["/soc@0/interrupt-controller@17100000"]
assert gic["driver"] == "gic" and gic["driver_state"] == "bound", gic
assert doc["secure_world"] is True
print("info ok: %d devices" % len(devs))
PY
# A v1.3 BAM has the older layout and no pipe locking.
"$secsoc" info --json --dts "$2/bam-v1.3.dts" > v13.json
python3 - v13.json <<'PY'
import json, sys
bam = {d["path"]: d for d in json.load(open(sys.argv[1]))["devices"]}[
    "/soc@0/dma-controller@1dc4000"]
assert bam["properties"]["version"] == "1.3.0", bam
assert bam["properties"]["pipe_lock_supported"] is False, bam
assert bam["properties"]["pipes"] == 8 and bam["properties"]["ees"] == 2, bam
print("v1.3 ok")
PY
