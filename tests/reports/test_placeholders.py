"""Live figures: every form of the placeholder grammar, filled from the findings engine, the
registers, and the errors for placeholders that name nothing."""

import pytest

from reports.document.placeholders import (
    PRECISE,
    SUMMARY,
    changed_figures,
    placeholders_in,
    resolve,
)
from tests.factories import CaseFactory
from tests.helpers import record


@pytest.fixture
def sample(inspection):
    """Five CRC cases (two women, three interviewed) and three NPS cases (one interviewed);
    PP-D8a yes in 3 of 5 CRC cases and 1 of 3 NPS; PP-O1[public] yes in 2 CRC cases of 2;
    CD-2 (months since sentence) 4, 6 and 9 in three CRC cases; RR-O2 (proven reoffending)
    charged and none in two CRC cases; two CRC cases at high risk of serious harm."""
    crc = [
        CaseFactory(inspection=inspection, gender=gender, interviewed=interviewed)
        for gender, interviewed in [
            ("female", True),
            ("female", True),
            ("male", True),
            ("male", False),
            ("male", False),
        ]
    ]
    nps = [
        CaseFactory(inspection=inspection, organisation="NPS", interviewed=interviewed)
        for interviewed in (True, False, False)
    ]
    for case, value in zip(
        crc + nps, ["yes", "yes", "yes", "no", "no", "yes", "no", "no"], strict=True
    ):
        record(case, "PP-D8a", value)
    for case in crc[:2]:
        record(case, "PP-A0", "yes", "public")  # the risk to the public is what PP-O1 asks after
        record(case, "PP-O1", "yes", "public")
    for case, outcome in zip(crc[:2], ["charged", "none"], strict=True):
        record(case, "RR-O2", outcome)
    for case in crc[3:]:
        case.rosh_level = "high"
        case.save()
    for case, months in zip(crc, ["4", "6", "9"], strict=False):
        record(case, "CD-2", months)
    return crc, nps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[PP-D8a CRC]]", "3 out of 5"),
        ("[[PP-D8a crc percent]]", "60%"),
        ("[[PP-D8a CRC yes]]", "3"),
        ("[[PP-D8a CRC relevant]]", "5"),
        ("[[PP-D8a NPS]]", "1 out of 3"),
        ("[[PP-D8a all]]", "4 out of 8"),
        ("[[pp-d8a]]", "4 out of 8"),
        ("[[PP-D8a all phrase]]", "half"),
        ("[[PP-O1[public] CRC]]", "2 out of 2"),
        ("[[PP-O1[PUBLIC] CRC percent]]", "100%"),
        ("[[PP-O1[children] CRC]]", "no relevant cases yet"),
        ("[[sample cases]]", "8"),
        ("[[sample CRC]]", "5"),
        ("[[sample NPS]]", "3"),
        ("[[sample interviewed]]", "4"),
        ("[[sample interviewed CRC]]", "3"),
        ("[[sample interviewed NPS]]", "1"),
        ("[[sample women]]", "2"),
        ("[[median CD-2]]", "6"),
        ("[[median CD-2 CRC]]", "6"),
        ("[[RR-O2[charged] CRC]]", "1 out of 2"),
        ("[[RR-O2[charged] CRC percent]]", "50%"),
        ("[[RR-O2[none] all yes]]", "1"),
        ("[[sample rosh_level=high CRC]]", "2"),
        ("[[sample gender=female]]", "2"),
    ],
)
def test_every_form_of_placeholder_is_filled_from_the_findings(inspection, sample, text, expected):
    rendered, values, errors = resolve(f"Here: {text}.", inspection, PRECISE)

    assert (rendered, values, errors) == (f"Here: {expected}.", {text: expected}, [])


def test_a_phrase_takes_the_summary_register_in_summary_parts(inspection, sample):
    precise, _values, _errors = resolve("[[PP-D8a CRC phrase]]", inspection, PRECISE)
    summary, _values, _errors = resolve("[[PP-D8a CRC phrase]]", inspection, SUMMARY)

    assert (precise, summary) == ("three-fifths", "most")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[[PP-Z9 CRC]]", "[[PP-Z9 CRC]]: there is no question PP-Z9 in framework qi-2016"),
        ("[[PP-O1 CRC]]", "[[PP-O1 CRC]]: PP-O1 is asked item by item; name one in brackets"),
        ("[[PP-O1[nobody] CRC]]", "[[PP-O1[nobody] CRC]]: nobody is not an item of PP-O1"),
        ("[[PP-D8a HMPPS]]", "[[PP-D8a HMPPS]]: the group is one of CRC, NPS or all"),
        ("[[PP-D8a CRC wrongly]]", "the group is one of CRC, NPS or all"),
        ("[[RR-O2 CRC]]", "RR-O2 is a choice question; name one of its answers in brackets"),
        ("[[RR-O2[acquitted] CRC]]", "name one of its answers in brackets: convicted_or_cautioned"),
        ("[[sample height=tall]]", "height is not a case descriptor"),
        ("[[sample rosh_level=extreme]]", "extreme is not a value of rosh_level"),
        ("[[median PP-D8a]]", "[[median PP-D8a]]: PP-D8a is not a number question"),
        ("[[sample men]]", "a sample figure is one of cases, CRC, NPS, interviewed, women"),
        ("[[#! CRC]]", "“#!” is not a question code"),
    ],
)
def test_a_placeholder_that_names_no_figure_is_an_error_and_stays_as_typed(
    inspection, sample, text, error
):
    rendered, values, errors = resolve(f"Figure {text} here", inspection, PRECISE)

    assert rendered == f"Figure {text} here"
    assert values == {}
    assert len(errors) == 1 and error in errors[0]


def test_placeholders_are_found_once_each_in_order_and_single_brackets_are_text():
    text = "[[PP-D8a CRC]] and [x] and [^note] and [[PP-O1[public] NPS]] and [[PP-D8a CRC]]"

    assert placeholders_in(text) == ["[[PP-D8a CRC]]", "[[PP-O1[public] NPS]]"]


def test_changed_figures_say_what_each_was_and_is():
    confirmed = {"[[PP-D8a CRC]]": "19 out of 31", "[[sample cases]]": "47"}
    values = {"[[PP-D8a CRC]]": "20 out of 31", "[[sample cases]]": "47", "[[sample NPS]]": "16"}

    assert changed_figures(confirmed, values) == [
        "[[PP-D8a CRC]] was 19 out of 31, now 20 out of 31",
        "[[sample NPS]] was not confirmed, now 16",
    ]
