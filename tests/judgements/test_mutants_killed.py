"""Behaviour the mutation run (`make mutation`) found untested: each test pins down a count,
a phrase, a refusal or a rule that a changed line of findings, proportions or services would
alter without any other test noticing."""

import pytest
from django.utils import timezone

from inspection.lib.spreadsheets import ImportRefused, SheetRow
from inspection.models import Inspection
from judgements import services
from judgements.findings import case_progress, findings_for, inspection_findings
from judgements.models import Answer, Item, Question, answer_services_writing
from judgements.proportions import percent, proportion_phrase
from judgements.services import AnswerSlot, answer_record, answers_import, framework_copy
from tests.factories import CaseFactory

COLUMNS = ["case_ref", "question", "item", "value", "note"]


def question(code: str) -> Question:
    return Question.objects.select_related("item_set").get(framework__code="qi-2016", code=code)


def item(question_code: str, code: str) -> Item:
    return Item.objects.get(item_set=question(question_code).item_set, code=code)


def record(case, code, value, item_code=None, user=None):
    slot = AnswerSlot(case, question(code), item(code, item_code) if item_code else None)
    return answer_record(slot=slot, value=value, user=user)


def sheet(*rows: list[str]) -> list[SheetRow]:
    """Rows as a spreadsheet numbers them: the header is row 1."""
    return [
        SheetRow(number, dict(zip(COLUMNS, row, strict=True))) for number, row in enumerate(rows, 2)
    ]


def data_revision(inspection) -> int:
    return Inspection.objects.get(pk=inspection.pk).data_revision


# Proportions


def test_one_relevant_case_is_all_or_none_at_100_or_0_percent():
    assert (percent(1, 1), proportion_phrase(1, 1)) == (100, "all")
    assert (percent(0, 1), proportion_phrase(0, 1)) == (0, "none")


# Findings


@pytest.fixture
def women_and_men(inspection):
    """A CRC woman and man and an NPS woman, each answering RR-A1 and the choice RR-O2."""
    crc_woman = CaseFactory(inspection=inspection, organisation="CRC", gender="female")
    crc_man = CaseFactory(inspection=inspection, organisation="CRC", gender="male")
    nps_woman = CaseFactory(inspection=inspection, organisation="NPS", gender="female")
    for case, yes_no, choice in [
        (crc_woman, "yes", "charged"),
        (crc_man, "no", "none"),
        (nps_woman, "yes", "none"),
    ]:
        record(case, "RR-A1", yes_no)
        record(case, "RR-O2", choice)
    return crc_woman, crc_man, nps_woman


def test_a_cut_is_named_on_the_json_document_and_on_every_row(inspection, women_and_men):
    document = inspection_findings(inspection, cut_by="gender").as_json()
    assert document["cut_by"] == "gender"
    rows = document["findings"]
    assert {row["cut"] for row in rows} == {"male", "female", "other"}
    crc_women = [row for row in rows if (row["group"], row["cut"]) == ("CRC", "female")]
    yes_no = next(row for row in crc_women if row["question"] == "RR-A1")
    choice = next(row for row in crc_women if row["question"] == "RR-O2")
    assert (yes_no["yes"], yes_no["no"]) == (1, 0)
    assert choice["counts"] == {
        "convicted_or_cautioned": 0,
        "charged": 1,
        "arrested": 0,
        "none": 0,
    }


def test_a_choice_finding_is_read_for_one_cut(inspection, women_and_men):
    findings = inspection_findings(inspection, cut_by="gender")
    women = findings.choice_finding("RR-O2", group="all", cut="female")
    men = findings.choice_finding("RR-O2", group="all", cut="male")
    assert (women.counts["charged"], women.counts["none"]) == (1, 1)
    assert (men.counts["charged"], men.counts["none"]) == (0, 1)


def test_priority_factors_are_listed_for_the_organisation_asked_for(inspection, women_and_men):
    crc_woman, _crc_man, nps_woman = women_and_men
    record(crc_woman, "RR-A2", "yes", "alcohol")
    record(nps_woman, "RR-A2", "yes", "drugs")
    findings = inspection_findings(inspection)
    assert [(code, count) for code, _label, count in findings.priority_factors("CRC")] == [
        ("alcohol", 1)
    ]
    assert findings.priority_factor_list("CRC") == "alcohol misuse (1 case)"


# Importing answers


def test_an_empty_case_reference_is_named_by_its_row_alone(inspection, case):
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["", "RR-A1", "", "yes", ""]))
    assert refusal.value.messages == ["Row 2: column case_ref is empty; give the case reference."]


def test_an_import_records_who_gave_each_answer_and_who_replaced_it(
    inspection, case, inspector, lead
):
    answers_import(
        inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", ""]), user=inspector
    )
    answer = Answer.objects.get(case=case, question=question("RR-A1"))
    assert (answer.answered_by, answer.history.get().history_user) == (inspector, inspector)

    answers_import(
        inspection=inspection,
        rows=sheet(["NS-001", "RR-A1", "", "no", ""]),
        user=lead,
        replace=True,
    )
    answer.refresh_from_db()
    assert (answer.value, answer.answered_by) == ("no", lead)
    assert answer.history.latest("history_date").history_user == lead


def test_an_import_counts_the_identical_answers_it_leaves_alone(inspection, case):
    record(case, "RR-A1", "yes")
    record(case, "RR-A3", "no")
    revision = data_revision(inspection)

    imported = answers_import(
        inspection=inspection,
        rows=sheet(["NS-001", "RR-A1", "", "yes", ""], ["NS-001", "RR-A3", "", "no", ""]),
        replace=True,
    )

    assert (imported.created, imported.replaced, imported.unchanged) == (0, 0, 2)
    assert data_revision(inspection) == revision


def test_an_import_of_new_answers_moves_the_inspection_data_on(inspection, case):
    revision = data_revision(inspection)
    imported = answers_import(inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", ""]))
    assert (imported.created, imported.cleared) == (1, [])
    assert data_revision(inspection) > revision


def test_replacing_gate_answers_lists_what_it_cleared_in_every_case(inspection, case, lead):
    other = CaseFactory(inspection=inspection, case_ref="NS-002")
    for each in (case, other):
        record(each, "RR-A2", "yes", "alcohol")
        record(each, "RR-P1", "yes", "alcohol")

    imported = answers_import(
        inspection=inspection,
        rows=sheet(
            ["NS-001", "RR-A2", "alcohol", "no", ""], ["NS-002", "RR-A2", "alcohol", "no", ""]
        ),
        user=lead,
        replace=True,
    )

    assert imported.replaced == 2
    assert sorted(imported.cleared) == [
        "case NS-001, RR-P1 [alcohol]",
        "case NS-002, RR-P1 [alcohol]",
    ]
    removed = Answer.history.filter(history_type="-")
    assert [entry.history_user for entry in removed] == [lead, lead]


def test_descriptor_tables_count_interviewed_cases_and_unrecorded_likelihood(inspection):
    CaseFactory(inspection=inspection, organisation="CRC", interviewed=True)
    CaseFactory(inspection=inspection, organisation="NPS", likelihood_of_reoffending="")
    descriptors = inspection_findings(inspection).descriptors
    assert descriptors["interviewed"]["all"] == {"yes": 1, "no": 1}
    assert descriptors["likelihood_of_reoffending"]["NPS"]["not_recorded"] == 1


def test_an_empty_question_column_is_named(inspection, case):
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["NS-001", "", "", "yes", ""]))
    assert refusal.value.messages == [
        "Row 2: case NS-001, column question is empty; give a question code."
    ]


# Proportions at the edges of each rule


@pytest.mark.parametrize(
    ("count", "relevant", "phrase"),
    [
        (5, 6, "all but one"),  # the fewest cases that read "all but one"
        (10, 12, "all but two"),  # the fewest cases that read "all but two"
        (3, 20, "just over one-tenth"),  # as near one-fifth: the lower fraction is named
        (19, 200, "about one-tenth"),  # half a point from a fraction is "about" it
        (12, 25, "about half"),  # two points from a fraction is still "about" it
    ],
)
def test_phrases_at_the_edges_of_each_rule(count, relevant, phrase):
    assert proportion_phrase(count, relevant) == phrase


# Findings: which answers count and for how many cases a question is asked


def test_a_question_asked_of_one_organisation_is_unanswered_only_in_its_cases(inspection):
    Question.objects.filter(framework__code="qi-2016", code="RR-A1").update(applies_to_nps=False)
    crc_cases = CaseFactory.create_batch(2, inspection=inspection, organisation="CRC")
    CaseFactory(inspection=inspection, organisation="NPS")
    record(crc_cases[0], "RR-A1", "yes")
    findings = inspection_findings(inspection)
    unanswered = {
        group: findings.yes_no_finding("RR-A1", group=group).unanswered
        for group in ("CRC", "NPS", "all")
    }
    assert unanswered == {"CRC": 1, "NPS": 0, "all": 1}


def test_an_answer_behind_an_open_case_gate_is_counted(inspection):
    case = CaseFactory(inspection=inspection)
    record(case, "C5", "yes")
    record(case, "C5b", "no")
    assert inspection_findings(inspection).yes_no_finding("C5b").no == 1


def test_answers_behind_shut_descriptor_gates_are_not_counted_whatever_wrote_them(inspection):
    """Rows written as a restore would (round the services' checks): the findings still leave
    out an answer whose case descriptor shuts its gate. (An answer gate cannot shut round the
    services: tests/judgements/test_findings_count_open_gates.py.)"""
    shut_by_descriptor = CaseFactory(inspection=inspection, gender="female", court_report="none")
    male = CaseFactory(inspection=inspection, gender="male")
    with answer_services_writing():
        for case, code in [(shut_by_descriptor, "C2"), (male, "CD-4")]:
            Answer.objects.create(
                case=case, question=question(code), value="yes", answered_at=timezone.now()
            )
    findings = inspection_findings(inspection)
    assert [findings.yes_no_finding(code).yes for code in ("C2", "CD-4")] == [0, 0]


def test_a_choice_asked_per_item_is_found_by_its_item(inspection):
    case = CaseFactory(inspection=inspection)
    record(case, "AB-V1", "no", item_code="planning")
    record(case, "AB-V2", "other", item_code="planning")
    finding = inspection_findings(inspection).choice_finding("AB-V2", item="planning")
    assert (finding.item, finding.counts["other"]) == ("planning", 1)
    with pytest.raises(KeyError, match=r"No finding for RR-A1\[None\] in all \(None\)"):
        inspection_findings(inspection).choice_finding("RR-A1")


def test_findings_name_their_framework_and_the_inspections_they_cover(inspection, other_inspection):
    CaseFactory(inspection=inspection, organisation="CRC")
    CaseFactory(inspection=other_inspection, organisation="NPS")
    one = inspection_findings(inspection)
    both = findings_for([inspection, other_inspection])
    assert (one.inspection, one.framework) == ("northshire", "qi-2016")
    assert (both.inspection, both.cases) == ("all", {"CRC": 1, "NPS": 1, "all": 2})


def test_findings_cut_by_a_descriptor_count_every_case_and_leave_out_the_tables(inspection):
    CaseFactory(inspection=inspection, organisation="CRC", gender="female")
    CaseFactory(inspection=inspection, organisation="NPS", gender="male")
    findings = inspection_findings(inspection, cut_by="gender")
    assert (findings.cases, findings.descriptors) == ({"CRC": 1, "NPS": 1, "all": 2}, {})
    assert inspection_findings(inspection).descriptors["gender"]["all"]["female"] == 1


def test_findings_count_only_the_questions_of_the_inspections_framework(inspection):
    before = inspection_findings(inspection)
    framework_copy(framework=inspection.framework, code="qi-2016-copy", version="2")
    after = inspection_findings(inspection)
    assert (len(after.yes_no), len(after.choices)) == (len(before.yes_no), len(before.choices))


def test_findings_refuse_mixed_frameworks_and_unknown_descriptors(inspection, other_inspection):
    other_inspection.framework = framework_copy(
        framework=inspection.framework, code="qi-2016-copy", version="2"
    )
    other_inspection.save()
    with pytest.raises(ValueError, match=r"^Findings combine inspections of one framework only\.$"):
        findings_for([inspection, other_inspection])
    with pytest.raises(ValueError, match=r"^Unknown descriptor 'shoe_size'; expected one of \["):
        inspection_findings(inspection, cut_by="shoe_size")


# Case progress: the case list's "answered of asked"


def test_case_progress_counts_answers_and_the_questions_open_for_each_case(inspection):
    assert case_progress([]) == {}
    untouched, answered = CaseFactory.create_batch(2, inspection=inspection)
    before = case_progress([untouched, answered])
    record(answered, "RR-A1", "yes")
    record(answered, "C5", "yes")  # opens C5b
    after = case_progress([untouched, answered])
    assert before[untouched.id] == before[answered.id] == after[untouched.id]
    assert before[untouched.id].answered == 0 and before[untouched.id].asked > 0
    assert after[answered.id].answered == 2
    assert after[answered.id].asked == before[answered.id].asked + 1


# Imports


def test_an_imported_note_with_a_control_character_is_refused(inspection, case):
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", "a\x07b"]))
    assert refusal.value.messages == [
        "Row 2: case NS-001, RR-A1, column note: the note holds a control character, U+0007 "
        "at character 2; remove it."
    ]
    assert not Answer.objects.filter(case=case).exists()


def test_an_answer_given_while_a_file_imports_refuses_the_whole_file(inspection, case, monkeypatch):
    """The file was checked against the answers as they were; one given meanwhile wins."""
    save = services.bulk_create_with_history

    def answered_meanwhile(*args, **kwargs):
        record(case, "RR-A1", "no")
        return save(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_create_with_history", answered_meanwhile)
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", ""]))
    assert refusal.value.messages == [
        "Someone answered one of these questions while the file was being imported; "
        "nothing was saved. Import the file again."
    ]
