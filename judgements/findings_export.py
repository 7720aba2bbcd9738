"""Findings as files for the research team: JSON (the contract), a flat CSV and an XLSX
workbook for reading in a spreadsheet.

Each function returns bytes; the `findings` command and the download view only wrap them.
"""

import io
import json
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from cases.aggregation import office_counts
from cases.descriptors import DESCRIPTORS, OFFICE_LABEL, ORGANISATION_LABEL
from cases.models import Organisation
from inspection.lib.spreadsheets import formula_guard, xlsx_text
from inspection.models import Inspection
from judgements.findings import (
    ALL,
    COUNTED_KINDS,
    GROUPS,
    Findings,
    YesNoFinding,
    inspection_findings,
)
from judgements.framework import framework_questions, items_by_set
from judgements.models import AnswerKind, Item, Question

CSV_COLUMNS = [
    "question",
    "item",
    "group",
    "cut",
    "yes",
    "no",
    "not_applicable",
    "unanswered",
    "relevant",
    "percent",
    "phrase",
    "summary_phrase",
    "choice",
    "count",
    "pooled",
]
# Codes and phrases today, but codes come from a framework file and the CSV opens in Excel:
# text that starts like a formula is guarded as in the answers export.
TEXT_COLUMNS = ["question", "item", "group", "cut", "phrase", "summary_phrase", "choice"]


def findings_json(findings: Findings) -> bytes:
    return json.dumps(findings.as_json(), indent=2, ensure_ascii=False).encode("utf-8")


def _csv_rows(findings: Findings):
    for row in findings.yes_no:
        yield row.as_dict() | {"cut": row.cut, "pooled": row.pooled}
    for row in findings.choices:
        for choice, count in row.counts.items():
            yield {
                "question": row.question,
                "item": row.item,
                "group": row.group,
                "cut": row.cut,
                "choice": choice,
                "count": count,
                "pooled": False,
            }


def findings_csv(findings: Findings) -> bytes:
    """One row per yes/no finding and one per choice of each choice finding; an item
    question's items together are a row with no item, "pooled" true."""
    frame = pd.DataFrame(list(_csv_rows(findings)), columns=CSV_COLUMNS)
    for column in ["yes", "no", "not_applicable", "unanswered", "relevant", "percent", "count"]:
        frame[column] = frame[column].astype("Int64")
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].map(formula_guard, na_action="ignore")
    # CR LF, as the answers CSV: with a bare LF, csv leaves a carriage return in a cell unquoted
    # and a reader splits the row there.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


# ---- XLSX: a sheet per domain, with the questions' wording, for people reading in Excel ----

# Per group (CRC, NPS, all), in this order; a choice finding fills only "count".
XLSX_MEASURES = [
    ("yes", "yes"),
    ("no", "no"),
    ("not_applicable", "not applicable"),
    ("unanswered", "unanswered"),
    ("relevant", "relevant"),
    ("percent", "percent"),
    ("phrase", "phrase"),
    ("summary_phrase", "summary phrase"),
    ("count", "count"),
]
XLSX_TEXT_MEASURES = {"phrase", "summary_phrase"}
XLSX_GROUP_NAMES = {"CRC": "CRC", "NPS": "NPS", ALL: "All"}
XLSX_HEAD = ["question", "wording", "item", "item wording", "choice"]
# Excel refuses these in a sheet's name and cuts it at 31 characters.
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
DESCRIPTORS_SHEET = "Sample descriptors"


def _xlsx_columns() -> list[str]:
    return [
        *XLSX_HEAD,
        *(f"{XLSX_GROUP_NAMES[group]} {label}" for group in GROUPS for _, label in XLSX_MEASURES),
    ]


def _group_cells(finding: YesNoFinding | None) -> list:
    row = finding.as_dict() if finding else {}
    return [row.get(measure) for measure, _ in XLSX_MEASURES]


# The row of an item question's items together (a pooled finding), after its items.
POOLED_WORDING = "All items together"


def _question_rows(question: Question, items, by_key):
    item_list = items.get(question.item_set_id, []) if question.item_set_id else [None]
    if question.item_set_id and any((question.code, None, g) in by_key for g in GROUPS):
        item_list = [*item_list, None]  # the items together (a pooled finding)
    for item in item_list:
        head = [
            question.code,
            question.text,
            item.code if item else None,
            item.label if item else POOLED_WORDING if question.item_set_id else None,
        ]
        code = item.code if item else None
        if question.kind != AnswerKind.CHOICE:
            cells = [_group_cells(by_key.get((question.code, code, group))) for group in GROUPS]
            yield [*head, None, *(cell for group in cells for cell in group)]
            continue
        for choice in question.choice_codes():
            counts = [by_key.get((question.code, code, group)) for group in GROUPS]
            row = [*head, question.choice_label(choice)]
            for finding in counts:
                row += [None] * (len(XLSX_MEASURES) - 1)
                row.append(finding.counts.get(choice) if finding else None)
            yield row


def _sheet_name(name: str, taken: set[str]) -> str:
    base = SHEET_NAME_BAD.sub(" ", name).strip()[:31] or "Domain"
    sheet, number = base, 2
    while sheet.lower() in taken:
        suffix = f" {number}"
        sheet, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(sheet.lower())
    return sheet


def _guarded(frame: pd.DataFrame, text_columns: list[str]) -> pd.DataFrame:
    for column in text_columns:
        frame[column] = frame[column].map(
            lambda text: xlsx_text(formula_guard(str(text))), na_action="ignore"
        )
    return frame


def _descriptor_frame(findings: Findings, offices: Mapping[str, Mapping[str, int]]) -> pd.DataFrame:
    """The sample by what it was drawn by, in words as the pages say them ("Gender",
    "Female"): the organisation, each office or hub, then every coded descriptor."""
    rows = [
        [ORGANISATION_LABEL, Organisation(organisation).label]
        + [findings.cases[organisation] if group in (organisation, ALL) else 0 for group in GROUPS]
        for organisation in GROUPS
        if organisation != ALL
    ]
    for office, by_organisation in offices.items():
        counts = {**by_organisation, ALL: sum(by_organisation.values())}
        rows.append([OFFICE_LABEL, office, *(counts[group] for group in GROUPS)])
    for name, table in findings.descriptors.items():
        descriptor = DESCRIPTORS[name]
        for code in table[ALL]:
            row = [descriptor.label, descriptor.value_label(code)]
            rows.append(row + [table[group][code] for group in GROUPS])
    columns = ["descriptor", "value", *(XLSX_GROUP_NAMES[group] for group in GROUPS)]
    frame = pd.DataFrame(rows, columns=columns)
    return _guarded(frame, ["descriptor", "value"])


def findings_xlsx(
    findings: Findings,
    questions: Sequence[Question],
    items: Mapping[int, list[Item]],
    *,
    offices: Mapping[str, Mapping[str, int]],
) -> bytes:
    """The findings as a workbook: a sheet per domain of the framework (in its order) with a
    row per question, item and choice, the question's wording beside its code, and for CRC,
    NPS and all the yes/no counts, relevant cases, percentage and phrases (or a choice's
    count); then a sheet of the sample's descriptors in words, with its offices (`offices`:
    cases.aggregation.office_counts). Counts are numbers; every text cell is guarded against
    running as a formula, as in the CSV."""
    by_key = {
        (row.question, row.item, row.group): row
        for row in [*findings.yes_no, *findings.choices]
        if row.cut is None
    }
    domains: dict[tuple[int, str], list] = {}
    for question in questions:
        if question.kind in COUNTED_KINDS:
            rows = domains.setdefault((question.domain.order, question.domain.name), [])
            rows.extend(_question_rows(question, items, by_key))
    columns = _xlsx_columns()
    text_columns = [
        *XLSX_HEAD,
        *(
            f"{XLSX_GROUP_NAMES[group]} {label}"
            for group in GROUPS
            for measure, label in XLSX_MEASURES
            if measure in XLSX_TEXT_MEASURES
        ),
    ]
    buffer = io.BytesIO()
    taken: set[str] = {DESCRIPTORS_SHEET.lower()}
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for (_order, domain), rows in sorted(domains.items()):
            frame = pd.DataFrame(rows, columns=columns)
            for column in columns:
                if column not in text_columns:
                    frame[column] = frame[column].astype("Int64")
            _guarded(frame, text_columns).to_excel(
                writer, sheet_name=_sheet_name(domain, taken), index=False
            )
        _descriptor_frame(findings, offices).to_excel(
            writer, sheet_name=DESCRIPTORS_SHEET, index=False
        )
    return buffer.getvalue()


def findings_workbook(inspection: Inspection) -> bytes:
    """One inspection's findings XLSX (the download and the command call this)."""
    framework_id = inspection.framework_id
    return findings_xlsx(
        inspection_findings(inspection),
        framework_questions(framework_id),
        items_by_set(framework_id),
        offices=office_counts(inspection),
    )
