"""JSON Schema of a rule-pack file for editors (``auditor rules schema``, docs/rule-schema.json).

The header and rule fields come from the pydantic models; a rule's ``check`` is described from the
registered primitives: a mapping with one key, a primitive with its own parameters, or
``all``/``any`` (a list of checks) or ``not`` (one check).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import create_model

from auditor.checks.registry import CheckSpec, all_checks
from auditor.rules.schema import PackHeader, Rule

SCHEMA_ID = "https://example.invalid/auditor/rule-pack.schema.json"


def _rule_model() -> type[Any]:
    """Rule without its compiled check (the check is described separately)."""
    fields: dict[str, Any] = {}
    for name, info in Rule.model_fields.items():
        if name == "check":
            continue
        fields[name] = (info.annotation, info)
    model: type[Any] = create_model("Rule", __config__=Rule.model_config, **fields)
    return model


def _hoist(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Move a model schema's ``$defs`` into ``defs`` (shared by every part)."""
    defs.update(schema.pop("$defs", {}))
    return schema


def rule_pack_schema(checks: Mapping[str, CheckSpec] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a rule-pack YAML file."""
    specs = checks if checks is not None else all_checks()
    defs: dict[str, Any] = {}
    header = _hoist(PackHeader.model_json_schema(), defs)
    header.setdefault("properties", {})["overrides"] = {"$ref": "#/$defs/Overrides"}
    header["properties"]["retire"] = {
        "type": "object",
        "description": "rule id of the base pack -> why this pack does not apply it",
        "additionalProperties": {"type": "string", "minLength": 1},
    }
    rule = _hoist(_rule_model().model_json_schema(), defs)
    rule["properties"]["check"] = {"$ref": "#/$defs/Check"}
    rule["additionalProperties"] = False
    header["additionalProperties"] = False
    defs["Overrides"] = {
        "type": "object",
        "description": "rule id of the base pack -> new weight, severity, applies_to or params",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "weight": {"type": "number", "minimum": 0},
                "severity": {"enum": ["critical", "high", "medium", "low", "info"]},
                "applies_to": {"type": "array", "items": {"type": "string"}},
                "params": {"type": "object"},
            },
        },
    }
    alternatives: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/Check"}}},
            "required": ["all"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"any": {"type": "array", "items": {"$ref": "#/$defs/Check"}}},
            "required": ["any"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"not": {"$ref": "#/$defs/Check"}},
            "required": ["not"],
            "additionalProperties": False,
        },
    ]
    for name in sorted(specs):
        params = _hoist(specs[name].params.model_json_schema(), defs)
        params.pop("title", None)
        alternatives.append(
            {
                "type": "object",
                "properties": {name: {"anyOf": [params, {"type": "null"}]}},
                "required": [name],
                "additionalProperties": False,
            }
        )
    defs["Check"] = {"oneOf": alternatives}
    defs["Rule"] = rule
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "auditor rule pack",
        "type": "object",
        "properties": {
            "pack": header,
            "rules": {"type": "array", "items": {"$ref": "#/$defs/Rule"}},
        },
        "required": ["pack"],
        "additionalProperties": False,
        "$defs": defs,
    }
