"""Findings as files for the research team: JSON (the contract) and a flat CSV.

Each function returns bytes; the `findings` command and the download view only wrap them.
"""

import json

import pandas as pd

from inspection.lib.spreadsheets import formula_guard
from judgements.findings import Findings

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
]
# Codes and phrases today, but codes come from a framework file and the CSV opens in Excel:
# text that starts like a formula is guarded as in the answers export.
TEXT_COLUMNS = ["question", "item", "group", "cut", "phrase", "summary_phrase", "choice"]


def findings_json(findings: Findings) -> bytes:
    return json.dumps(findings.as_json(), indent=2, ensure_ascii=False).encode("utf-8")


def _csv_rows(findings: Findings):
    for row in findings.yes_no:
        yield row.as_dict() | {"cut": row.cut}
    for row in findings.choices:
        for choice, count in row.counts.items():
            yield {
                "question": row.question,
                "item": row.item,
                "group": row.group,
                "cut": row.cut,
                "choice": choice,
                "count": count,
            }


def findings_csv(findings: Findings) -> bytes:
    """One row per yes/no finding and one per choice of each choice finding."""
    frame = pd.DataFrame(list(_csv_rows(findings)), columns=CSV_COLUMNS)
    for column in ["yes", "no", "not_applicable", "unanswered", "relevant", "percent", "count"]:
        frame[column] = frame[column].astype("Int64")
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].map(formula_guard, na_action="ignore")
    # CR LF, as the answers CSV: with a bare LF, csv leaves a carriage return in a cell unquoted
    # and a reader splits the row there.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
