"""Loads a framework file into the database.

Takes an app registry so the data migration can run it against historical models; the same
function serves the demo loader (and the tests) with the live registry.
"""

import json
from pathlib import Path
from typing import Any

from django.apps import apps as live_apps
from django.core.exceptions import ValidationError

from judgements.framework_schema import framework_errors

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"


def read_framework_file(code: str) -> dict[str, Any]:
    return json.loads((FRAMEWORKS_DIR / f"{code}.json").read_text(encoding="utf-8"))


def _load_sections(framework, data: dict, apps) -> dict[str, dict]:
    Domain, Theme = apps.get_model("judgements", "Domain"), apps.get_model("judgements", "Theme")
    ItemSet, Item = apps.get_model("judgements", "ItemSet"), apps.get_model("judgements", "Item")
    domains = {
        entry["code"]: Domain.objects.update_or_create(
            framework=framework, code=entry["code"], defaults={"name": entry["name"], "order": n}
        )[0]
        for n, entry in enumerate(data["domains"])
    }
    themes = {
        entry["code"]: Theme.objects.update_or_create(
            framework=framework, code=entry["code"], defaults={"name": entry["name"], "order": n}
        )[0]
        for n, entry in enumerate(data["themes"])
    }
    item_sets = {}
    for entry in data["item_sets"]:
        item_set = ItemSet.objects.update_or_create(
            framework=framework, code=entry["code"], defaults={"name": entry["name"]}
        )[0]
        for n, item in enumerate(entry["items"]):
            Item.objects.update_or_create(
                item_set=item_set, code=item["code"], defaults={"label": item["label"], "order": n}
            )
        item_sets[entry["code"]] = item_set
    return {"domains": domains, "themes": themes, "item_sets": item_sets}


def _question_fields(entry: dict, sections: dict, order: int) -> dict[str, Any]:
    return {
        "domain": sections["domains"][entry["domain"]],
        "theme": sections["themes"][entry["theme"]],
        "text": entry["text"],
        "short_label": entry.get("short_label") or "",
        "guidance": entry.get("guidance", ""),
        "kind": entry["kind"],
        "choices": entry.get("choices") or [],
        "item_set": sections["item_sets"].get(entry.get("items")),
        "applies_to_crc": "CRC" in entry["applies_to"],
        "applies_to_nps": "NPS" in entry["applies_to"],
        **_number_bounds(entry.get("number")),
        "order": order,
    }


def _number_bounds(number: dict | None) -> dict[str, Any]:
    """A number question's bounds; a framework file may leave them out (the model's defaults)."""
    if not number:
        return {}
    bounds = {"number_min": number.get("min"), "number_max": number.get("max")}
    bounds["number_decimal_places"] = number.get("decimal_places")
    return {name: value for name, value in bounds.items() if value is not None}


def load_framework(data: dict[str, Any], apps=live_apps):
    """Create or update a framework from its file; refuse a file with any error, listing all."""
    errors = framework_errors(data)
    if errors:
        raise ValidationError(errors)
    Framework = apps.get_model("judgements", "Framework")
    Question = apps.get_model("judgements", "Question")
    framework = Framework.objects.update_or_create(
        code=data["code"], defaults={"version": data["version"], "title": data["title"]}
    )[0]
    sections = _load_sections(framework, data, apps)
    # A data migration passes the model as it stood then, without the fields added since.
    known = {field.name for field in Question._meta.get_fields()}
    questions = {}
    for n, entry in enumerate(data["questions"]):
        fields = _question_fields(entry, sections, n)
        questions[entry["code"]] = Question.objects.update_or_create(
            framework=framework,
            code=entry["code"],
            defaults={name: value for name, value in fields.items() if name in known},
        )[0]
    for entry in data["questions"]:
        gate = entry.get("gate") or {}
        question = questions[entry["code"]]
        question.gate_question = questions.get(gate.get("question"))
        question.gate_descriptor = gate.get("descriptor") or ""
        question.gate_values = gate.get("values") or []
        question.save(update_fields=["gate_question", "gate_descriptor", "gate_values"])
    return framework
