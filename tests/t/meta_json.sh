#!/usr/bin/env bash
# META.json (the PGXN distribution metadata) is valid JSON with every key the PGXN
# Meta Spec 1.0.0 requires plus the ones we promise (description, prereqs, resources,
# generated_by, tags); its versions equal kpi_ext.control's default_version; the files
# it names exist. And the Debian package's version (debian/changelog) is that version
# too, and so are README.md's mentions of the current version: its "This README describes
# version X" line, any package or archive name with a version in it, and the newest upgrade
# script it names (every one it names exists); no version it names is newer.  So a version
# bump cannot forget one of them.  Needs no server.
. "$(dirname "$0")/lib.sh"
cd "$top"

control_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" kpi_ext.control)
isnt "$control_version" "" "kpi_ext.control has a default_version ($control_version)"

status=0
meta=$(python3 - "$control_version" 2>&1 <<'PY'
import json, re, sys

want = sys.argv[1]
errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

try:
    with open("META.json", encoding="utf-8") as f:
        meta = json.load(f)
except (OSError, ValueError) as e:
    sys.exit("META.json is not valid JSON: %s" % e)

check(isinstance(meta, dict), "META.json is not a JSON object")
required = ["name", "abstract", "description", "version", "maintainer", "license",
            "provides", "prereqs", "resources", "generated_by", "meta-spec", "tags"]
for key in required:
    check(key in meta, "missing key %r" % key)
if errors:
    sys.exit("\n".join(errors))

# PGXN Meta Spec 1.0.0
semver = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([a-zA-Z][0-9a-zA-Z-]*)?$")
check(meta["meta-spec"].get("version") == "1.0.0", "meta-spec.version must be 1.0.0")
check(meta["name"] == "kpi_ext", "name must be kpi_ext, got %r" % meta["name"])
check(re.match(r"^[^/\\:\s]{2,}$", meta["name"]) is not None, "invalid distribution name")
for key in ("abstract", "description", "generated_by"):
    check(isinstance(meta[key], str) and meta[key].strip() != "", "%s must be a non-empty string" % key)
check(semver.match(meta["version"]) is not None, "version %r is not a semantic version" % meta["version"])
check(meta["version"] == want,
      "META.json version %r differs from kpi_ext.control default_version %r" % (meta["version"], want))

maint = meta["maintainer"]
if isinstance(maint, str):
    maint = [maint]
check(isinstance(maint, list) and maint and all(isinstance(m, str) and m for m in maint),
      "maintainer must be a string or a list of strings")

licenses = {"agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd", "freebsd",
            "gfdl_1_2", "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1", "lgpl_3_0", "mit",
            "mozilla_1_0", "mozilla_1_1", "openssl", "perl_5", "postgresql", "qpl_1_0", "ssleay",
            "sun", "zlib", "open_source", "restricted", "unrestricted", "unknown"}
check(meta["license"] == "postgresql", "license must be 'postgresql', got %r" % (meta["license"],))
check(meta["license"] in licenses, "license %r is not a PGXN license string" % (meta["license"],))

provides = meta["provides"]
check(isinstance(provides, dict) and "kpi_ext" in provides, "provides must name kpi_ext")
ext = provides.get("kpi_ext", {})
for key in ("file", "docfile", "version", "abstract"):
    check(key in ext, "provides.kpi_ext.%s is missing" % key)
check(ext.get("version") == want,
      "provides.kpi_ext.version %r differs from kpi_ext.control default_version %r" % (ext.get("version"), want))
check(semver.match(str(ext.get("version"))) is not None, "provides.kpi_ext.version is not a semantic version")
for key in ("file", "docfile"):
    path = ext.get(key)
    if path:
        try:
            open(path).close()
        except OSError:
            errors.append("provides.kpi_ext.%s names %r, which does not exist" % (key, path))

# a version or a range (">= 15.0.0, < 19.0.0"): from the oldest major of debian/pgversions
# to below the one after the newest, the versions the compatibility guards cover
pg = meta["prereqs"].get("runtime", {}).get("requires", {}).get("PostgreSQL")
bounds = {}
for part in str(pg).split(","):
    m = re.match(r"^\s*(>=|<=|==|!=|>|<)?\s*(\S+)\s*$", part)
    if m is None or semver.match(m.group(2)) is None:
        errors.append("prereqs.runtime.requires.PostgreSQL must be a version or a range of them, got %r" % (pg,))
        break
    bounds[m.group(1) or ">="] = m.group(2)
majors = [int(l) for l in open("debian/pgversions").read().split() if l.isdigit()]
check(bounds.get(">=") == "%d.0.0" % min(majors) and bounds.get("<") == "%d.0.0" % (max(majors) + 1),
      "prereqs.runtime.requires.PostgreSQL %r is not >= %d.0.0, < %d.0.0 (debian/pgversions)"
      % (pg, min(majors), max(majors) + 1))

res = meta["resources"]
check(isinstance(res, dict) and res, "resources must be a non-empty object")
for key in res:
    check(key in ("homepage", "bugtracker", "repository") or key.lower().startswith("x_"),
          "unknown resources key %r" % key)

tags = meta["tags"]
check(isinstance(tags, list) and tags and all(isinstance(t, str) and 0 < len(t) < 256 for t in tags),
      "tags must be a non-empty list of strings of 1..255 characters")
if "release_status" in meta:
    check(meta["release_status"] in ("stable", "testing", "unstable"), "bad release_status")

if errors:
    sys.exit("META.json:\n  " + "\n  ".join(errors))
print("META.json: valid, version %s, %d tags" % (meta["version"], len(tags)))
PY
) || status=$?
is "$status" 0 "META.json follows the PGXN Meta Spec 1.0.0 and names version $control_version"
[ "$status" -eq 0 ] && note "$meta" || diag "$meta"

if [ -f debian/changelog ]; then
	deb_version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
	# a native package's version is the upstream version (optionally +debN / ~suffix)
	is "${deb_version%%[+~-]*}" "$control_version" "debian/changelog's version ($deb_version) is default_version"
	[ "${deb_version%%[+~-]*}" = "$control_version" ] ||
		diag "add an entry: dch --newversion $control_version 'New upstream version.'; dch --release ''"
else
	skip "debian/changelog's version is default_version" "no debian/changelog"
fi
status=0
readme=$(python3 - "$control_version" 2>&1 <<'PY'
import os, re, sys

want = sys.argv[1]
key = lambda v: tuple(int(x) for x in v.split("."))
text = open("README.md", encoding="utf-8").read()
errors = []
m = re.search(r"This README describes version (\d+\.\d+\.\d+)", text)
if not m:
    errors.append('no "This README describes version X" line')
elif m.group(1) != want:
    errors.append("it describes version %s, not default_version %s" % (m.group(1), want))
for name, v in re.findall(r"(kpi[-_]ext[-_](\d+\.\d+\.\d+))", text):
    if v != want:
        errors.append("%s names version %s, not default_version %s" % (name, v, want))
scripts = re.findall(r"--(\d+\.\d+\.\d+)--(\d+\.\d+\.\d+)\.sql", text)
for a, b in scripts:
    if not os.path.exists("sql/kpi_ext--%s--%s.sql" % (a, b)):
        errors.append("it names the upgrade script kpi_ext--%s--%s.sql, which does not exist" % (a, b))
if scripts and max((b for a, b in scripts), key=key) != want:
    errors.append("the newest upgrade script it names does not reach default_version %s" % want)
for v in set(re.findall(r"(?<![\d.])(\d+\.\d+\.\d+)(?![\d.])", text)):
    if key(v) > key(want):
        errors.append("it names version %s, newer than default_version %s" % (v, want))
if errors:
    sys.exit("README.md:\n  " + "\n  ".join(errors))
print("README.md: describes version %s; its upgrade scripts and versions agree" % want)
PY
) || status=$?
is "$status" 0 "README.md's version mentions agree with default_version $control_version"
[ "$status" -eq 0 ] && note "$readme" || diag "$readme"
done_testing
