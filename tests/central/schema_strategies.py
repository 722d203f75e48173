"""Hypothesis strategies from the JSON Schema subset central's description uses.

Enough to draw *valid* instances of any request schema of ``/api/openapi.json``: ``$ref``,
``anyOf``/``oneOf``, objects (optional properties drawn or left out), strings with lengths,
patterns, ``const``/``enum`` and ``date-time``, bounded integers and finite numbers, arrays
and booleans. The tests use it to check that the description and the server agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st


def _date_times() -> st.SearchStrategy[str]:
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda m: timezone(timedelta(minutes=m)))
    moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2199, 12, 30))
    return st.builds(lambda dt, tz, z: (dt.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
                                        if z else dt.replace(tzinfo=tz).isoformat()),
                     moments, offsets, st.booleans())


class SchemaStrategies:
    """Strategies for the schemas of one OpenAPI document (resolves its ``$ref``s)."""

    def __init__(self, document: dict[str, Any], max_items: int = 3,
                 max_text: int = 80) -> None:
        self.components = document.get("components", {}).get("schemas", {})
        self.max_items = max_items
        self.max_text = max_text

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def of(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        schema = self.resolve(schema)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return st.one_of([self.of(option) for option in schema[key]])
        kind = schema.get("type")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            items = self.of(schema.get("items", {}))
            return st.lists(items, min_size=schema.get("minItems", 0),
                            max_size=min(schema.get("maxItems", self.max_items), self.max_items))
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
        if kind == "number":
            return st.floats(min_value=schema.get("minimum"), max_value=schema.get("maximum"),
                             allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.none() | st.integers() | st.text(max_size=5)

    def _object(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: self.of(v) for k, v in props.items() if k in required},
            optional={k: self.of(v) for k, v in props.items() if k not in required})

    def _string(self, schema: dict[str, Any]) -> st.SearchStrategy[str]:
        lo = schema.get("minLength", 0)
        hi = min(schema.get("maxLength", self.max_text), max(self.max_text, lo))
        if schema.get("format") == "date-time":
            return _date_times()
        if "pattern" in schema:
            pattern = schema["pattern"]
            if pattern.startswith("^") and pattern.endswith("$"):
                # JSON Schema's $ is the end of the text; Python's also matches before a final
                # newline, so draw full matches of the pattern between the anchors
                strings = st.from_regex(pattern[1:-1], fullmatch=True)
            else:
                strings = st.from_regex(pattern)  # JSON Schema patterns search, as re does
            return strings.filter(lambda s: lo <= len(s) <= hi)
        return st.text(min_size=lo, max_size=hi)
