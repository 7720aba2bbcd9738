"""The engine's drill-down (`finding_cases`), its restriction to one descriptor value (`where`)
and its number findings (median and range): each agrees with the counting it sits beside."""

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from judgements.finding_cases import finding_cases
from judgements.findings import (
    GROUPS,
    RELEVANT,
    UNANSWERED,
    findings_for,
    inspection_findings,
    weighted_median,
)
from judgements.models import Item, Question
from tests.factories import CaseFactory
from tests.helpers import load_demo, record

pytestmark = pytest.mark.django_db


def _question_and_items(inspection):
    questions = {
        q.code: q
        for q in Question.objects.filter(framework=inspection.framework).select_related(
            "gate_question"
        )
    }
    items = {
        (item.item_set_id, item.code): item
        for item in Item.objects.filter(item_set__framework=inspection.framework)
    }
    return questions, items


def _drill_down_counts(inspection, finding, questions, items, where=None):
    question = questions[finding.question]
    item = items[(question.item_set_id, finding.item)] if finding.item else None

    def count(answer):
        return len(finding_cases(inspection, question, item, finding.group, answer, where))

    return {
        "yes": count("yes"),
        "no": count("no"),
        "not_applicable": count("na") if question.kind == "yes_no_na" else 0,
        "relevant": count(RELEVANT),
        "unanswered": count(UNANSWERED),
    }


def _engine_counts(finding):
    return {
        "yes": finding.yes,
        "no": finding.no,
        "not_applicable": finding.not_applicable,
        "relevant": finding.relevant,
        "unanswered": finding.unanswered,
    }


def test_every_drill_down_of_the_durham_demo_lists_as_many_cases_as_its_finding_counts():
    inspection = load_demo()
    questions, items = _question_and_items(inspection)
    findings = inspection_findings(inspection)
    # Every yes/no question and item, CRC, NPS and all; and each item question's items
    # together (11 questions, 3 groups), whose drill-downs are checked here too.
    assert len(findings.yes_no) == 447 + 33
    assert len([finding for finding in findings.yes_no if finding.pooled]) == 33
    mismatches = [
        (finding, _drill_down_counts(inspection, finding, questions, items))
        for finding in findings.yes_no
        if _drill_down_counts(inspection, finding, questions, items) != _engine_counts(finding)
    ]
    assert mismatches == []
    # Every choice of every choice finding, and its cases still to answer.
    for finding in findings.choices:
        question = questions[finding.question]
        item = items[(question.item_set_id, finding.item)] if finding.item else None
        listed = {
            code: len(finding_cases(inspection, question, item, finding.group, code))
            for code in [*finding.counts, UNANSWERED]
        }
        assert listed == {**finding.counts, UNANSWERED: finding.unanswered}, finding
    # Restricted to women's cases, too (a gate on gender opens only for them: CD-4).
    women = inspection_findings(inspection, where=("gender", "female"))
    for finding in women.yes_no:
        if finding.question in {"PP-D8a", "CD-4", "RR-P1", "RR-D5b", "AB-O3"}:
            assert _drill_down_counts(
                inspection, finding, questions, items, ("gender", "female")
            ) == _engine_counts(finding), finding


def test_protecting_the_public_drill_down_lists_the_crc_cases_behind_19_of_31():
    inspection = load_demo()
    questions, _items = _question_and_items(inspection)
    relevant = finding_cases(inspection, questions["PP-D8a"], None, "CRC", RELEVANT)
    assert len(relevant) == 31
    assert sum(row.value == "yes" for row in relevant) == 19
    assert {row.case.organisation for row in relevant} == {"CRC"}


def test_a_restriction_to_one_descriptor_value_counts_only_those_cases(inspection):
    woman = CaseFactory(inspection=inspection, organisation="CRC", gender="female")
    man = CaseFactory(inspection=inspection, organisation="CRC", gender="male")
    record(woman, "RR-A1", "yes")
    record(man, "RR-A1", "no")
    women = inspection_findings(inspection, where=("gender", "female"))
    finding = women.yes_no_finding("RR-A1", group="CRC")
    assert (finding.yes, finding.no) == (1, 0)
    assert women.cases == {"CRC": 1, "NPS": 0, "all": 1}
    assert women.descriptors["gender"]["all"] == {"male": 0, "female": 1, "other": 0}
    everyone = inspection_findings(inspection).yes_no_finding("RR-A1", group="CRC")
    assert (everyone.yes, everyone.no) == (1, 1)


def test_a_restriction_to_an_unknown_value_is_refused(inspection):
    with pytest.raises(ValueError, match="gender"):
        findings_for([inspection], where=("gender", "martian"))


def test_a_number_question_has_its_median_and_range_by_organisation(inspection):
    for organisation, months in [("CRC", 4), ("CRC", 9), ("CRC", 6), ("NPS", 12)]:
        record(CaseFactory(inspection=inspection, organisation=organisation), "CD-2", str(months))
    findings = inspection_findings(inspection)
    crc = findings.number_finding("CD-2", group="CRC")
    assert (crc.answered, crc.median, crc.minimum, crc.maximum) == (3, 6, 4, 9)
    together = findings.number_finding("CD-2")
    assert (together.answered, together.median, together.maximum) == (4, Decimal("7.5"), 12)
    assert findings.as_json()["numbers"][0] == {
        "question": "CD-2", "item": None, "group": "CRC",
        "answered": 3, "median": 6, "minimum": 4, "maximum": 9,
    }  # fmt: skip


def test_a_number_question_nobody_answered_has_no_median(inspection):
    CaseFactory(inspection=inspection, organisation="NPS")
    finding = inspection_findings(inspection).number_finding("CD-2", group="NPS")
    assert (finding.answered, finding.median, finding.minimum) == (0, None, None)


def test_the_durham_demo_is_about_six_months_from_sentence():
    findings = inspection_findings(load_demo())
    assert [findings.number_finding("CD-2", group=group).median for group in GROUPS] == [6, 6, 6]


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=40))
def test_the_median_of_grouped_values_is_the_median_of_the_values(values):
    grouped = {Decimal(value): values.count(value) for value in set(values)}
    assert weighted_median(grouped) == statistics.median(Decimal(v) for v in values)


def test_a_restriction_to_one_office_counts_and_lists_only_its_cases(inspection):
    north = CaseFactory(inspection=inspection, organisation="CRC", office="North hub")
    south = CaseFactory(inspection=inspection, organisation="CRC", office="South hub")
    record(north, "RR-A1", "yes")
    record(south, "RR-A1", "yes")
    where = ("office", "North hub")
    finding = inspection_findings(inspection, where=where).yes_no_finding("RR-A1")
    question = Question.objects.get(framework=inspection.framework, code="RR-A1")
    listed = finding_cases(inspection, question, None, "all", "yes", where)
    assert finding.yes == 1 and [row.case for row in listed] == [north]
