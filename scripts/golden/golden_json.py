"""The JSON layout of the golden fixtures: one key per line and each matrix row on a line of its own
(readable diffs). Shared by make_golden.py and batchnorm2d.py."""
import json


def dump(value, indent=""):
    """`value` as JSON, dicts one key per line, lists of rows one row per line."""
    if isinstance(value, dict):
        inner = indent + "  "
        items = [f"{inner}{json.dumps(k)}: {dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], list):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + dump(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value)
