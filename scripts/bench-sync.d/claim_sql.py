#!/usr/bin/env python3
"""claim_sql.py — prints, from lms-core/storage/pg/store_pg_sync.c, the SQL text of the
delivery worker's claim (S_CLAIM, its TS() macro expanded by cpp), for scripts/bench-sync to
EXPLAIN it as the worker runs it: a prepared statement with $1 = now in Unix microseconds,
$2 = the lease in microseconds, $3 = the batch size. Standard library and cpp only.

    claim_sql.py STORE_PG_SYNC_C
Exits 1 when the file has no S_CLAIM statement in the shape it knows."""
import ast
import re
import subprocess
import sys


def main(path):
    src = open(path, encoding="utf-8").read()
    defs = re.findall(r'^#define TS\b(?:.*\\\n)*.*$', src, re.M)
    m = re.search(r'\[S_CLAIM\] = \{(.*?),\s*(\d+),\s*(\d+)\s*\},', src, re.S)
    if not defs or not m:
        sys.stderr.write("claim_sql.py: no S_CLAIM statement (or no TS macro) in %s\n" % path)
        return 1
    text = "\n".join(defs) + "\n@@ " + m.group(1) + " @@\n"
    pp = subprocess.run(["cpp", "-P", "-"], input=text, capture_output=True, text=True, check=True).stdout
    body = re.search(r"@@(.*?)@@", pp, re.S).group(1)
    print("".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', body)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__ + "\n")
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
