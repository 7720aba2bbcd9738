"""The findings CSV opens in a spreadsheet without running anything it holds."""

from judgements.findings import ChoiceFinding, Findings, YesNoFinding
from judgements.findings_export import findings_csv
from tests.helpers import csv_rows


def findings(*, yes_no=(), choices=()) -> Findings:
    return Findings(
        inspection="northshire",
        framework="qi-2016",
        cases={"CRC": 1, "NPS": 0, "all": 1},
        descriptors={},
        yes_no=list(yes_no),
        choices=list(choices),
    )


def test_text_a_spreadsheet_would_run_as_a_formula_is_guarded_in_every_text_column():
    csv = findings_csv(
        findings(
            yes_no=[
                YesNoFinding(
                    question='=HYPERLINK("http://example.org")',
                    item="+1",
                    group="-CRC",
                    yes=1,
                    no=0,
                    not_applicable=0,
                    unanswered=0,
                    cut="@cut",
                )
            ],
            choices=[
                ChoiceFinding(
                    question="\tRR-O2",
                    item=None,
                    group="all",
                    counts={"\r=1+1": 1},
                    cut=None,
                )
            ],
        )
    )

    header, yes_no, choice = csv_rows(csv)
    assert dict(zip(header, yes_no, strict=True)) == {
        "question": '\'=HYPERLINK("http://example.org")',
        "item": "'+1",
        "group": "'-CRC",
        "cut": "'@cut",
        "yes": "1",
        "no": "0",
        "not_applicable": "0",
        "unanswered": "0",
        "relevant": "1",
        "percent": "100",
        "phrase": "all",
        "summary_phrase": "all",
        "choice": "",
        "count": "",
        "pooled": "False",
    }
    assert {
        column: text
        for column, text in zip(header, choice, strict=True)
        if column in ("question", "group", "choice", "count")
    } == {"question": "'\tRR-O2", "group": "all", "choice": "'\r=1+1", "count": "1"}


def test_codes_and_phrases_are_written_as_they_are():
    csv = findings_csv(
        findings(
            yes_no=[
                YesNoFinding(
                    question="RR-A1",
                    item=None,
                    group="CRC",
                    yes=3,
                    no=1,
                    not_applicable=0,
                    unanswered=1,
                )
            ]
        )
    )

    assert csv_rows(csv)[1] == ["RR-A1", "", "CRC", "", "3", "1", "0", "1", "4", "75",
                                "three-quarters", "most", "", "", "False"]  # fmt: skip
