#!/usr/bin/env python3
"""Per-package mutation scores from PIT's mutations.xml: killed/total and %.

'killed' is every mutant PIT counts as detected (killed, timed out, memory or
run error), as in its own HTML report; 'no coverage' mutants are ones no unit
test even reaches, 'survived' ones a test reached but did not notice.
"""
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

path = sys.argv[1] if len(sys.argv) > 1 else "target/pit-reports/mutations.xml"
stats = defaultdict(lambda: {"killed": 0, "total": 0, "survived": 0, "no_coverage": 0})
for m in ET.parse(path).getroot().iter("mutation"):
    cls = m.findtext("mutatedClass")
    pkg = cls.rsplit(".", 1)[0]
    s = stats[pkg]
    s["total"] += 1
    if m.get("detected") == "true":
        s["killed"] += 1
    elif m.get("status") == "NO_COVERAGE":
        s["no_coverage"] += 1
    else:
        s["survived"] += 1

def line(name, s):
    pct = 100.0 * s["killed"] / s["total"] if s["total"] else 0.0
    return f"  {name:<22} {s['killed']:>5}/{s['total']:<5} {pct:5.1f} %   survived {s['survived']}, no coverage {s['no_coverage']}"

print("[dive-verify] mutation score per package (killed/total):")
total = {"killed": 0, "total": 0, "survived": 0, "no_coverage": 0}
for pkg in sorted(stats):
    print(line(pkg, stats[pkg]))
    for k in total:
        total[k] += stats[pkg][k]
print(line("all", total))
