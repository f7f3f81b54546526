#!/usr/bin/env python3
"""json_schema_check.py — a small JSON Schema (draft 2020-12) validator for the subset the
project's schemas use (schemas/personnel/*.schema.json). Python standard library only: the
test machines have no jsonschema package and the tests use no network.

    json_schema_check.py SCHEMA [--ref '#/$defs/NAME'] INSTANCE...

Prints "PATH: valid" or "PATH: invalid" followed by one line per error ("  /people/0/pin:
..."), and exits 0 when every instance is valid, 1 when one is not, 2 when the schema or an
instance cannot be used (not JSON, a duplicate key, a keyword outside the subset).

The subset, and nothing else (any other keyword in a schema is an error, exit 2, so a schema
cannot silently grow past what this checks):
  assertions   type (string or list), enum, required, properties, additionalProperties
               (boolean or schema), items, pattern, minLength, maxLength, minimum, maximum,
               format "date" / "date-time" (checked: a real calendar date; RFC 3339 with a
               "Z" or "+hh:mm" offset), and the boolean schemas true and false
  applicators  allOf, if / then / else, $ref to "#" or "#/$defs/NAME" (local only)
  annotations  $schema, $id, $comment, title, description, examples, default (ignored)

Where Python and JSON Schema differ, this follows JSON Schema: true and false are not
numbers; 1.0 is an integer; patterns are ECMA-262 searches (unanchored unless they say ^ $),
"$" does not match before a final newline, and \\d means [0-9] only.
"""
import datetime
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples", "default"}
KEYWORDS = ANNOTATIONS | {
    "type", "enum", "required", "properties", "additionalProperties", "items", "pattern",
    "minLength", "maxLength", "minimum", "maximum", "format", "allOf", "if", "then", "else",
    "$ref", "$defs",
}
FORMATS = {"date", "date-time"}

DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z", re.ASCII)
DATETIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
    r"(Z|[+-]([0-9]{2}):([0-9]{2}))\Z", re.ASCII)


class SchemaError(Exception):
    """The schema itself is outside the subset or broken."""


def real_date(y, m, d):
    try:
        datetime.date(int(y), int(m), int(d))
        return True
    except ValueError:
        return False


def check_format(fmt, value):
    if fmt == "date":
        m = DATE_RE.match(value)
        return bool(m) and real_date(*m.groups())
    m = DATETIME_RE.match(value)
    if not m or not real_date(*m.group(1, 2, 3)):
        return False
    hh, mi, ss = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if hh > 23 or mi > 59 or ss > 60:
        return False
    if m.group(8) != "Z" and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def ecma_regex(pattern):
    # "$" at the very end: the end of the string only (Python's "$" also matches before a
    # final newline). re.ASCII: \d and \w as in ECMA-262 without the u flag.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def type_ok(t, v):
    if t == "null":
        return v is None
    if t == "boolean":
        return isinstance(v, bool)
    if t == "integer":
        return (isinstance(v, int) and not isinstance(v, bool)) or (
            isinstance(v, float) and v.is_integer())
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "string":
        return isinstance(v, str)
    if t == "array":
        return isinstance(v, list)
    if t == "object":
        return isinstance(v, dict)
    raise SchemaError("unknown type %r" % t)


def json_equal(a, b):
    # enum: 1 == 1.0 but true != 1
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def pointer_escape(s):
    return str(s).replace("~", "~0").replace("/", "~1")


class Validator:
    def __init__(self, root):
        self.root = root
        self.regexes = {}
        self.check_schema(root, "#")

    # -- the schema must stay within the subset --
    def check_schema(self, s, where):
        if isinstance(s, bool):
            return
        if not isinstance(s, dict):
            raise SchemaError("%s: a schema must be an object or a boolean" % where)
        for k in s:
            if k not in KEYWORDS:
                raise SchemaError("%s: keyword %r is outside the supported subset" % (where, k))
        if "format" in s and s["format"] not in FORMATS:
            raise SchemaError("%s: format %r is not supported" % (where, s["format"]))
        if "pattern" in s:
            try:
                self.regexes[s["pattern"]] = ecma_regex(s["pattern"])
            except re.error as e:
                raise SchemaError("%s: bad pattern: %s" % (where, e))
        if "$ref" in s:
            self.resolve(s["$ref"], where)
        for k in ("properties", "$defs"):
            for name, sub in s.get(k, {}).items():
                self.check_schema(sub, "%s/%s/%s" % (where, k, name))
        for k in ("additionalProperties", "items", "if", "then", "else"):
            if k in s:
                self.check_schema(s[k], "%s/%s" % (where, k))
        for i, sub in enumerate(s.get("allOf", [])):
            self.check_schema(sub, "%s/allOf/%d" % (where, i))

    def resolve(self, ref, where="#"):
        if ref == "#":
            return self.root
        if not ref.startswith("#/"):
            raise SchemaError("%s: only local $ref is supported, not %r" % (where, ref))
        node = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise SchemaError("%s: $ref %r does not resolve" % (where, ref))
            node = node[part]
        return node

    # -- validation: returns a list of (instance pointer, message) --
    def errors(self, s, v, at=""):
        if s is True:
            return []
        if s is False:
            return [(at or "/", "is not allowed here")]
        out = []
        if "$ref" in s:
            out += self.errors(self.resolve(s["$ref"]), v, at)
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(type_ok(t, v) for t in types):
                out.append((at or "/", "must be of type %s, not %s" % (
                    " or ".join(types), json.dumps(v, ensure_ascii=False)[:60])))
                return out  # the other keywords would only repeat this
        if "enum" in s and not any(json_equal(v, e) for e in s["enum"]):
            out.append((at or "/", "must be one of %s, not %s" % (
                json.dumps(s["enum"], ensure_ascii=False), json.dumps(v, ensure_ascii=False)[:60])))
        if isinstance(v, str):
            if "minLength" in s and len(v) < s["minLength"]:
                out.append((at or "/", "must be at least %d characters long" % s["minLength"]))
            if "maxLength" in s and len(v) > s["maxLength"]:
                out.append((at or "/", "must be at most %d characters long" % s["maxLength"]))
            if "pattern" in s and not self.regexes[s["pattern"]].search(v):
                out.append((at or "/", "does not match the pattern %s: %s" % (
                    s["pattern"], json.dumps(v, ensure_ascii=False)[:60])))
            if "format" in s and not check_format(s["format"], v):
                out.append((at or "/", "is not a valid %s: %s" % (
                    s["format"], json.dumps(v, ensure_ascii=False)[:60])))
        if type_ok("number", v):
            if "minimum" in s and v < s["minimum"]:
                out.append((at or "/", "must be >= %s, not %s" % (s["minimum"], v)))
            if "maximum" in s and v > s["maximum"]:
                out.append((at or "/", "must be <= %s, not %s" % (s["maximum"], v)))
        if isinstance(v, dict):
            for name in s.get("required", []):
                if name not in v:
                    out.append((at or "/", "the member %r is required" % name))
            props = s.get("properties", {})
            for name, member in v.items():
                here = "%s/%s" % (at, pointer_escape(name))
                if name in props:
                    out += self.errors(props[name], member, here)
                elif "additionalProperties" in s:
                    if s["additionalProperties"] is False:
                        out.append((here, "is not a member this schema allows"))
                    else:
                        out += self.errors(s["additionalProperties"], member, here)
        if isinstance(v, list) and "items" in s:
            for i, item in enumerate(v):
                out += self.errors(s["items"], item, "%s/%d" % (at, i))
        for sub in s.get("allOf", []):
            out += self.errors(sub, v, at)
        if "if" in s:
            if not self.errors(s["if"], v, at):
                if "then" in s:
                    out += self.errors(s["then"], v, at)
            elif "else" in s:
                out += self.errors(s["else"], v, at)
        return out


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate member %r" % k)
        seen[k] = v
    return seen


def bad_constant(name):
    raise ValueError("%s is not JSON" % name)


def load(path):
    # utf-8-sig: a UTF-8 byte order mark is accepted (the roster may come with one).
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f, object_pairs_hook=no_duplicates, parse_constant=bad_constant)


def main(argv):
    args = argv[1:]
    ref = None
    if len(args) >= 2 and args[1] == "--ref":
        if len(args) < 3:
            args = []
        else:
            ref = args[2]
            args = args[:1] + args[3:]
    if len(args) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        validator = Validator(load(args[0]))
        schema = validator.resolve(ref) if ref else validator.root
    except (OSError, ValueError, SchemaError) as e:
        print("%s: unusable schema: %s" % (args[0], e), file=sys.stderr)
        return 2
    status = 0
    for path in args[1:]:
        try:
            instance = load(path)
        except (OSError, ValueError) as e:
            print("%s: unusable: %s" % (path, e))
            status = 2
            continue
        errs = validator.errors(schema, instance)
        if errs:
            print("%s: invalid" % path)
            for at, msg in errs:
                print("  %s: %s" % (at, msg))
            status = max(status, 1)
        else:
            print("%s: valid" % path)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
