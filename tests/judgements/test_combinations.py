"""Combinations the lead names: several of one question's counts read as one figure, kept per
inspection through the services, counted from the answers like every other figure, with the
cases behind each count and usable as a live figure in the report."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspection.models import Inspection
from judgements.findings import inspection_findings
from judgements.findings_export import findings_json
from judgements.models import Combination, Question
from judgements.services import combination_delete, combination_save
from reports.document.placeholders import resolve
from tests.factories import CaseFactory
from tests.helpers import record

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def sample(inspection, inspector):
    """Three CRC cases and an NPS case, their risk of harm judged for victims and children."""
    cases = [
        CaseFactory(inspection=inspection, organisation="CRC", case_ref=f"NS-10{n}")
        for n in (1, 2, 3)
    ] + [CaseFactory(inspection=inspection, organisation="NPS", case_ref="NS-104")]
    for case, known_victims, children, public in [
        (cases[0], "yes", "no", "yes"),
        (cases[1], "no", "no", "yes"),
        (cases[2], "yes", None, "no"),
        (cases[3], "yes", "yes", "yes"),
    ]:
        for item, value in [("known_victims", known_victims), ("children", children),
                            ("public", public)]:  # fmt: skip
            if value:
                record(case, "PP-A0", "yes", item)
                record(case, "PP-A3", value, item)
    for case, route in zip(
        cases,
        ["abided_without_problems", "not_abided", "abided_after_breach_or_recall", "not_abided"],
        strict=True,
    ):
        record(case, "AB-O2", route)
    return cases


def question(inspection, code) -> Question:
    return Question.objects.get(framework=inspection.framework, code=code)


@pytest.fixture
def victims(inspection, lead, sample):
    return combination_save(
        inspection=inspection,
        by=lead,
        code="victims-or-children",
        name="Known victims or children",
        question=question(inspection, "PP-A3"),
        parts=["known_victims", "children"],
    )


@pytest.fixture
def abided(inspection, lead, sample):
    return combination_save(
        inspection=inspection,
        by=lead,
        code="abided-any-route",
        name="Abided, by any route",
        question=question(inspection, "AB-O2"),
        parts=["abided_without_problems", "abided_after_reengagement",
               "abided_after_breach_or_recall"],
    )  # fmt: skip


def test_a_combination_of_items_sums_its_items_judgements(inspection, victims):
    findings = inspection_findings(inspection)
    crc = findings.combined_finding("victims-or-children", "CRC")
    # CRC: victims yes, no, yes; children no, no: 2 yes of 5 judgements.
    assert (crc.yes, crc.no, crc.relevant, crc.phrase) == (2, 3, 5, "two-fifths")
    everyone = findings.combined_finding("victims-or-children")
    assert (everyone.yes, everyone.relevant) == (4, 7)
    # The public's row is not in it.
    pooled = findings.yes_no_finding("PP-A3", None, "CRC")
    assert pooled.pooled and (pooled.yes, pooled.relevant) == (4, 8)


def test_a_combination_of_answers_counts_the_cases_with_any_of_them(inspection, abided):
    crc = inspection_findings(inspection).combined_finding("abided-any-route", "CRC")
    assert (crc.yes, crc.relevant, crc.phrase) == (2, 3, "two-thirds")


def test_the_findings_json_carries_the_combinations_and_the_pooled_rows(inspection, victims):
    document = json.loads(findings_json(inspection_findings(inspection)))
    pooled = [row for row in document["findings"] if row.get("pooled")]
    assert {(row["question"], row["item"], row["group"]) for row in pooled} >= {
        ("PP-A3", None, "CRC")
    }
    crc = next(
        row
        for row in document["combinations"]
        if (row["combination"], row["group"]) == ("victims-or-children", "CRC")
    )
    assert (crc["name"], crc["yes"], crc["relevant"]) == ("Known victims or children", 2, 5)


def test_a_live_figure_names_a_combination_or_an_item_questions_items_together(
    inspection, victims, abided
):
    text_, _values, errors = resolve(
        "[[victims-or-children CRC]]; [[abided-any-route CRC phrase]]; "
        "[[PP-A3[all] CRC percent]]; [[nothing-named CRC]]",
        inspection,
    )
    assert text_.startswith("2 out of 5; two-thirds; 50%; ")
    assert errors == [
        "[[nothing-named CRC]]: there is no question nothing-named in framework qi-2016"
    ]


def test_every_problem_is_refused_at_once_and_nothing_is_saved(inspection, lead, sample):
    with pytest.raises(ValidationError) as refused:
        combination_save(
            inspection=inspection,
            by=lead,
            code="PP-A3",
            name=" ",
            question=question(inspection, "PP-A3"),
            parts=["known_victims", "dragons"],
        )
    errors = refused.value.message_dict
    assert set(errors) == {"code", "name", "parts"}
    assert "dragons: not items of PP-A3" in errors["parts"][0]
    with pytest.raises(ValidationError) as refused:
        combination_save(
            inspection=inspection,
            by=lead,
            code="one-item",
            name="One item",
            question=question(inspection, "RR-A1"),
            parts=["yes"],
        )
    assert "RR-A1 cannot be combined" in refused.value.message_dict["question"][0]
    assert not Combination.objects.exists()


def test_only_the_lead_and_editor_write_them_and_never_once_published(
    inspection, inspector, lead, victims
):
    with pytest.raises(ValidationError, match="only its lead inspector and editor"):
        combination_delete(combination=victims, by=inspector)
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    with pytest.raises(ValidationError, match="published"):
        combination_delete(combination=victims, by=lead)
    assert Combination.objects.filter(pk=victims.pk).exists()


def test_a_change_from_an_old_copy_is_refused_naming_who_changed_it(inspection, lead, victims):
    revision = Inspection.objects.get(pk=inspection.pk).data_revision
    combination_save(
        inspection=inspection,
        by=lead,
        code=victims.code,
        name="Victims or children",
        question=victims.question,
        parts=victims.parts,
        combination=victims,
        expected_version=1,
    )
    assert Inspection.objects.get(pk=inspection.pk).data_revision == revision + 1
    with pytest.raises(ValidationError, match=r"changed by .* since you opened it"):
        combination_save(
            inspection=inspection,
            by=lead,
            code=victims.code,
            name="Mine",
            question=victims.question,
            parts=victims.parts,
            combination=victims,
            expected_version=1,
        )
    assert Combination.objects.get(pk=victims.pk).name == "Victims or children"
    assert [h.history_user for h in victims.history.all()] == [lead, lead]


def test_the_team_reads_them_and_follows_a_count_to_its_cases(inspection, victims, as_persona):
    body = text(as_persona("inspector").get(reverse("combinations", args=[inspection.slug])))
    assert "Known victims or children" in body and ">2 of 5<" in body
    assert "Add a combination" not in body  # an inspector reads, never writes
    drill = text(
        as_persona("inspector").get(
            reverse("combination-cases", args=[inspection.slug, "victims-or-children"])
            + "?group=CRC&answer=no"
        )
    )
    assert "3 judgements counted no" in drill
    assert drill.count(">NS-102<") == 2 and drill.count(">NS-101<") == 1


def test_the_lead_adds_one_question_first_then_its_items(inspection, sample, as_persona):
    client = as_persona("lead")
    add = reverse("combination-add", args=[inspection.slug])
    assert "Choose a question" in text(client.get(add))
    form = text(client.get(add + "?question=PP-A3"))
    assert 'value="known_victims"' in form and "Known victims" in form
    refused = client.post(add, {"question": "PP-A3", "name": "Victims", "code": "v", "parts": []})
    body = text(refused)
    assert "There is a problem" in body and "Choose at least two of PP-A3" in body
    saved = client.post(
        add,
        {"question": "PP-A3", "name": "Victims", "code": "victims", "parts": ["known_victims",
                                                                                 "children"]},
    )  # fmt: skip
    assert saved.status_code == 302
    assert Combination.objects.get(code="victims").items == ["known_victims", "children"]
    assert as_persona("inspector").get(add).status_code == 403
