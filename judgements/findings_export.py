"""Findings as files for the research team: JSON (the contract) and a flat CSV.

Each function returns bytes; the `findings` command and the download view only wrap them.
"""

import json

import pandas as pd

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
    "choice",
    "count",
]


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
    return frame.to_csv(index=False).encode("utf-8")
