"""Which published schema a request body is held to, and what in the body does not fit it.

The operations table (tests/data/cps_reference/operations.json) names, for every operation
that takes a body, one hand-written JSON Schema per Content-Type (`body_schemas`; the
update-input operation narrows the Content-Types by its path parameter). The same table is
what the Rust checker holds requests to, so the server and the checker cannot disagree on
which schema applies. Validation uses the `jsonschema` package; without it nothing is passed
silently: every body is reported as not checked and a write is refused (503).
"""

import json
import re
from pathlib import Path

try:
    import jsonschema
except ImportError:  # the Rust side skips (or, under CI, fails) before this matters
    jsonschema = None

DATA = Path(__file__).resolve().parent.parent / "data" / "cps_reference"

# Markers that start a violation which is not about one member of a JSON body.
NOT_JSON = "(not JSON)"
NO_BODY = "(no body)"
NO_SCHEMA = "(no schema)"
NOT_CHECKED = "(not checked)"


class Check:
    """The outcome for one request: the schema applied (its file under DATA, or None), the
    violations (one line each, `field: what`, or a marker line) and the parsed body."""

    def __init__(self, schema=None, violations=(), value=None):
        self.schema, self.violations, self.value = schema, list(violations), value


class Bodies:
    def __init__(self):
        table = json.loads((DATA / "operations.json").read_text())
        self.operations = []
        for op in table["operations"]:
            # A template's {name} is one non-empty path segment.
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(op["path"]))
            self.operations.append((re.compile(pattern + r"\Z"), op))
        self.validators = {}
        if jsonschema is not None:
            for op in table["operations"]:
                for name in op.get("body_schemas", {}).values():
                    if name not in self.validators:
                        schema = json.loads((DATA / name).read_text())
                        # A broken schema stops the server at start, not a test later.
                        jsonschema.Draft202012Validator.check_schema(schema)
                        self.validators[name] = jsonschema.Draft202012Validator(schema)

    def operation(self, method, path):
        for pattern, op in self.operations:
            match = pattern.match(path)
            if match and op["method"] == method:
                return op, match.groupdict()
        return None, {}

    def check(self, method, path, content_type, raw):
        op, params = self.operation(method, path)
        if not raw:
            if op is not None and op.get("body_required"):
                return Check(violations=[f"{NO_BODY} {op['operation_id']} requires a body"])
            return Check()
        if op is None:
            return Check(violations=[f"{NO_SCHEMA} no published {method} operation at {path}"])
        schemas = op.get("body_schemas", {})
        media = (content_type or "").split(";")[0].strip().lower()
        by_param = op.get("content_type_by_path_param")
        allowed = list(schemas)
        if by_param and params.get(by_param["param"]) in by_param["map"]:
            allowed = by_param["map"][params[by_param["param"]]]
        name = schemas.get(media) if media in allowed else None
        if name is None:
            why = f"{op['operation_id']} takes no body" if not schemas else (
                f"Content-Type {content_type or '(none)'} is not published for this request "
                f"(published: {', '.join(allowed)})"
            )
            return Check(violations=[f"{NO_SCHEMA} {why}"])
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            return Check(name, [f"{NOT_JSON} {error}"])
        if jsonschema is None:
            return Check(name, [f"{NOT_CHECKED} python3 has no jsonschema module"], value)
        errors = sorted(self.validators[name].iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
        return Check(name, [line for error in errors for line in describe(error)], value)


def field(path):
    """A body location as a client names it: csr.sans[1], or (root)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def describe(error):
    """One line per member at fault, naming the member itself where the check is about it
    (a missing or an unknown member is named, not its parent object)."""
    where = list(error.absolute_path)
    if error.validator == "required":
        missing = re.match(r"'([^']+)'", error.message)
        name = missing.group(1) if missing else "?"
        return [f"{field(where + [name])}: required member missing"]
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - known) if isinstance(error.instance, dict) else []
        return [f"{field(where + [name])}: not a member of the published schema (no others allowed)" for name in extra]
    if error.validator == "enum":
        options = ", ".join(json.dumps(option) for option in error.validator_value)
        return [f"{field(where)}: {json.dumps(error.instance)} is not one of {options}"]
    return [f"{field(where)}: {error.message}"]
