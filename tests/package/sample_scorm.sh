#!/usr/bin/env bash
# tests/package/sample_scorm.sh — the project's sample SCORM courses in content/courses/:
#   5s-scorm12         SCORM 1.2, one SCO (5S workplace method)
#   mot-cua-scorm2004  SCORM 2004 4th Edition, three SCOs (one-stop-shop mechanism)
# For each: zips the folder with python3's zipfile (manifest at the zip root) into a temporary
# folder; checks the manifest and every HTML page are well-formed (xmllint), the manifest's
# schema version, namespaces, metadata, identifier references and mastery settings; that every
# <file href> exists and every file in the folder is listed; that nothing points outside the
# package; that the zip stays under 200 KB. If $PARLEARN_BIN has `package validate`, runs it on
# each zip and expects exit 0. Then, if node, playwright-core (tests/browser/node_modules) and
# Chromium are there, plays every SCO against a fake LMS API (sample_scorm_run.mjs).
# Last line: "N passed, M failed"; exits 1 on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${PARLEARN_SOURCE:-$(cd "$here/../.." && pwd)}
courses=$src/content/courses

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
notok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { # check "what" command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}

if ! command -v xmllint >/dev/null 2>&1; then
	echo "sample_scorm.sh: xmllint is missing; installing libxml2-utils"
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y -q libxml2-utils >/dev/null || true
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n apt-get install -y -q libxml2-utils >/dev/null || true
	fi
fi
if ! command -v xmllint >/dev/null 2>&1; then
	echo "sample_scorm.sh: xmllint not available (apt-get install libxml2-utils)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-samplescorm.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

# xmllint's HTML parser knows HTML 4 only: it reports HTML5 elements as "Tag X invalid".
# Those lines are noise; anything else it prints is a real problem.
html5_tags='main|section|nav|header|footer|article|aside|figure|figcaption|svg|path|circle|rect|g|text|title|desc|defs|marker|details|summary|mark|time|output|progress|template|picture|source|video|audio|track'
html_ok() {
	local out
	out=$(xmllint --html --noout --nonet "$1" 2>&1) || { echo "$out"; return 1; }
	out=$(printf '%s\n' "$out" | grep -a -E 'error|warning' | grep -a -v -E "Tag ($html5_tags) invalid" || true)
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		return 1
	fi
	return 0
}

# Zips DIR into ZIP with the manifest at the root (sorted names, deflated).
make_zip() {
	python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
names = []
for d, dirs, files in os.walk(root):
    dirs.sort()
    for f in sorted(files):
        names.append(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/"))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for n in names:
        z.write(os.path.join(root, n), n)
PY
}

# Structural checks of one package folder, written in Python (the manifest is our own file).
# Prints "ok - ..." / "not ok - ..." lines, which the caller counts.
manifest_checks() {
	python3 - "$1" "$2" <<'PY'
import os, re, sys
import xml.etree.ElementTree as ET
root, kind = sys.argv[1], sys.argv[2]
name = os.path.basename(root.rstrip("/"))
def out(cond, what, detail=""):
    print(("ok - " if cond else "not ok - ") + name + ": " + what + (("\n    " + detail) if (detail and not cond) else ""))

NS12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}
NS04 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss", "lom": "http://ltsc.ieee.org/xsd/LOM"}
ns = NS12 if kind == "1.2" else NS04
path = os.path.join(root, "imsmanifest.xml")
text = open(path, encoding="utf-8").read()
for prefix, uri in ns.items():
    out('xmlns="%s"' % uri in text or ('xmlns:%s="%s"' % (prefix, uri)) in text or
        re.search(r'xmlns(:\w+)?="%s"' % re.escape(uri), text) is not None, "declares namespace " + uri)
m = ET.parse(path).getroot()
cp = "{%s}" % ns["cp"]
out(m.tag == cp + "manifest", "root element is <manifest> in " + ns["cp"], m.tag)
sv = m.find(cp + "metadata/" + cp + "schemaversion")
want = "1.2" if kind == "1.2" else "2004 4th Edition"
out(sv is not None and sv.text.strip() == want, "schemaversion is " + want, "" if sv is None else sv.text)
sc = m.find(cp + "metadata/" + cp + "schema")
out(sc is not None and sc.text.strip() == "ADL SCORM", "schema is ADL SCORM")

# Inline LOM metadata: title, description, language "vi".
if kind == "1.2":
    md = "{%s}" % ns["md"]
    gen = m.find(cp + "metadata/" + md + "lom/" + md + "general")
    title = gen.find(md + "title/" + md + "langstring") if gen is not None else None
    desc = gen.find(md + "description/" + md + "langstring") if gen is not None else None
    lang = gen.find(md + "language") if gen is not None else None
else:
    lo = "{%s}" % ns["lom"]
    gen = m.find(cp + "metadata/" + lo + "lom/" + lo + "general")
    title = gen.find(lo + "title/" + lo + "string") if gen is not None else None
    desc = gen.find(lo + "description/" + lo + "string") if gen is not None else None
    lang = gen.find(lo + "language") if gen is not None else None
out(title is not None and title.text and title.text.strip(), "metadata has a title")
out(desc is not None and desc.text and len(desc.text.strip()) > 20, "metadata has a description")
out(lang is not None and lang.text.strip() == "vi", "metadata language is vi")

# Organizations, items, resources, references.
orgs = m.find(cp + "organizations")
org_ids = [o.get("identifier") for o in orgs.findall(cp + "organization")]
out(orgs.get("default") in org_ids, "default organization exists", str(orgs.get("default")))
res = {r.get("identifier"): r for r in m.iter(cp + "resource")}
items = [i for i in m.iter(cp + "item") if i.get("identifierref")]
out(all(i.get("identifierref") in res for i in items), "every item's identifierref resolves")
stype = "{%s}%s" % (ns["adlcp"], "scormtype" if kind == "1.2" else "scormType")
scos = [r for r in res.values() if r.get(stype) == "sco"]
assets = [r for r in res.values() if r.get(stype) == "asset"]
out(len(scos) == (1 if kind == "1.2" else 3), "has %d SCO(s)" % (1 if kind == "1.2" else 3), str(len(scos)))
out(all(i.get("identifierref") in [s.get("identifier") for s in scos] for i in items), "every item launches a SCO")
out(len(assets) == 1 and assets[0].get("href") is None, "one shared asset resource without href")
deps_ok = all(any(d.get("identifierref") == assets[0].get("identifier") for d in s.findall(cp + "dependency"))
              for s in scos) if assets else False
out(deps_ok, "every SCO depends on the shared asset resource")
out(all(d.get("identifierref") in res for d in m.iter(cp + "dependency")), "every dependency resolves")
ids = [e.get("identifier") for e in m.iter() if e.get("identifier")]
out(len(ids) == len(set(ids)), "identifiers are unique")

listed = []
for r in res.values():
    for f in r.findall(cp + "file"):
        listed.append(f.get("href"))
missing = [h for h in listed if not os.path.isfile(os.path.join(root, h))]
out(not missing, "every <file href> exists", " ".join(missing))
out(all(s.get("href") in [f.get("href") for f in s.findall(cp + "file")] for s in scos),
    "each SCO's launch file is listed in its own resource")
on_disk = []
for d, dirs, files in os.walk(root):
    for f in files:
        rel = os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
        if rel != "imsmanifest.xml":
            on_disk.append(rel)
unlisted = sorted(set(on_disk) - set(listed))
out(not unlisted, "every file in the folder is listed", " ".join(unlisted))
out(len(listed) == len(set(listed)), "no file listed twice")

if kind == "1.2":
    ms = [i.find("{%s}masteryscore" % ns["adlcp"]) for i in items]
    out(all(x is not None and x.text.strip() == "80" for x in ms), "adlcp:masteryscore 80")
else:
    ss = "{%s}" % ns["imsss"]
    org = orgs.find(cp + "organization")
    cm = org.find(ss + "sequencing/" + ss + "controlMode")
    out(cm is not None and cm.get("flow") == "true" and cm.get("choice") == "true",
        "organization sequencing: controlMode flow and choice")
    titles = [i.find(cp + "title").text for i in org.findall(cp + "item")]
    out(len(titles) == 3 and all(t.strip().startswith("%d." % (n + 1)) for n, t in enumerate(titles)),
        "three items in flow order", " | ".join(titles))
    po = org.findall(cp + "item")[-1].find(ss + "sequencing/" + ss + "objectives/" + ss + "primaryObjective")
    mm = po.find(ss + "minNormalizedMeasure") if po is not None else None
    out(po is not None and po.get("satisfiedByMeasure") == "true" and mm is not None and float(mm.text) == 0.8,
        "quiz primaryObjective satisfiedByMeasure, minNormalizedMeasure 0.8")

# Pages: lang="vi", a <title>, labelled inputs; nothing loaded from outside the package.
ext_ref = re.compile(r'''(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//)|url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//|@import''', re.I)
for rel in on_disk + ["imsmanifest.xml"]:
    p = os.path.join(root, rel)
    body = open(p, encoding="utf-8").read()
    if rel.endswith((".html", ".css", ".js")):
        hit = ext_ref.search(body)
        out(hit is None, rel + ": no external URL", hit.group(0) if hit else "")
    if rel.endswith(".svg"):
        hrefs = re.findall(r'(?:href|src)\s*=\s*"([^"]*)"', body)
        out(all(h.startswith("#") for h in hrefs) and "<script" not in body, rel + ": self-contained, no script")
    if rel.endswith(".html"):
        out(re.search(r'<html lang="vi"', body) is not None, rel + ': <html lang="vi">')
        out(re.search(r"<title>[^<]+</title>", body) is not None, rel + ": has a title")
        out(re.search(r'<meta charset="utf-8">', body, re.I) is not None, rel + ": declares UTF-8")
        ids_in = re.findall(r'<input[^>]*\bid="([^"]+)"', body)
        unlabelled = [i for i in ids_in if ('<label for="%s"' % i) not in body]
        out(not unlabelled, rel + ": every input has a label", " ".join(unlabelled))
        imgs = re.findall(r"<img\b[^>]*>", body)
        out(all(re.search(r'\balt="[^"]+"', i) for i in imgs), rel + ": every image has alt text")
        out(re.search(r"\son[a-z]+\s*=", body) is None and re.search(r"<script>(?!</script>)", body) is None,
            rel + ": no inline script or handler (works under a strict CSP)")
PY
}

for spec in "5s-scorm12:1.2" "mot-cua-scorm2004:2004"; do
	name=${spec%%:*}
	kind=${spec#*:}
	dir=$courses/$name
	echo "# $name (SCORM $kind)"
	if [ ! -f "$dir/imsmanifest.xml" ]; then
		notok "$name: $dir/imsmanifest.xml exists"
		continue
	fi
	zip=$tmp/$name.zip
	if make_zip "$dir" "$zip"; then ok "$name: zipped"; else notok "$name: zipped"; continue; fi
	check "$name: imsmanifest.xml at the zip root" \
		python3 -c 'import sys, zipfile; sys.exit(0 if "imsmanifest.xml" in zipfile.ZipFile(sys.argv[1]).namelist() else 1)' "$zip"
	size=$(stat -c %s "$zip")
	check "$name: zip is under 200 KB ($size bytes)" test "$size" -lt 204800
	check "$name: imsmanifest.xml is well-formed" xmllint --noout --nonet "$dir/imsmanifest.xml"
	while IFS= read -r -d '' f; do
		rel=${f#"$dir"/}
		case $f in
		*.html) check "$name: $rel is well-formed HTML" html_ok "$f" ;;
		*.svg) check "$name: $rel is well-formed XML" xmllint --noout --nonet "$f" ;;
		esac
	done < <(find "$dir" -type f \( -name '*.html' -o -name '*.svg' \) -print0 | sort -z)
	while IFS= read -r line; do
		case $line in
		"ok - "*) passed=$((passed + 1)); echo "$line" ;;
		"not ok - "*) failed=$((failed + 1)); echo "$line" ;;
		*) echo "$line" ;;
		esac
	done < <(manifest_checks "$dir" "$kind" 2>&1 || echo "not ok - $name: manifest checks crashed")
done

# The project's own validator, when it has been built.
if [ -n "${PARLEARN_BIN:-}" ] && [ -x "$PARLEARN_BIN" ] && "$PARLEARN_BIN" package validate --help >/dev/null 2>&1; then
	for name in 5s-scorm12 mot-cua-scorm2004; do
		zip=$tmp/$name.zip
		[ -f "$zip" ] || continue
		set +e
		report=$("$PARLEARN_BIN" package validate "$zip" 2>&1)
		rc=$?
		set -e
		if [ "$rc" = 0 ]; then
			ok "$name: parlearn package validate exits 0"
		else
			notok "$name: parlearn package validate exits 0 (got $rc)"
			printf '%s\n' "$report" | sed 's/^/    /'
		fi
	done
else
	echo "# skip: parlearn package validate (PARLEARN_BIN unset, or it has no 'package validate' command yet)"
fi

# Playing the SCOs in Chromium against a fake LMS.
node_modules=$src/tests/browser/node_modules
chromium=${PARLEARN_CHROMIUM:-/usr/bin/chromium}
if command -v node >/dev/null 2>&1 && [ -d "$node_modules/playwright-core" ] && [ -x "$chromium" ]; then
	mkdir "$tmp/browser"
	set +e
	out=$(PARLEARN_CHROMIUM=$chromium timeout 300 node "$here/sample_scorm_run.mjs" "$courses" "$tmp/browser" 2>&1)
	rc=$?
	set -e
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$' || true
	summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1 || true)
	if [ -n "$summary" ]; then
		read -r bp _ bf _ <<<"$summary"
		passed=$((passed + bp))
		failed=$((failed + bf))
	fi
	if [ "$rc" != 0 ] && { [ -z "$summary" ] || [ "${bf:-0}" = 0 ]; }; then
		notok "browser run exited $rc"
	fi
else
	echo "# skip: browser run (needs node, $node_modules/playwright-core and $chromium)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
