"""The findings engine: counts, relevant cases, gates, cuts and the query budget."""

import pytest

from judgements.findings import findings_for, inspection_findings
from judgements.framework import framework_loaded
from tests.factories import CaseFactory, InspectionFactory
from tests.helpers import record


@pytest.fixture
def sample(inspection):
    """Five CRC cases (two of them women) and three NPS cases, with answers to RR-A1."""
    crc = [CaseFactory(inspection=inspection, organisation="CRC") for _ in range(5)]
    nps = [CaseFactory(inspection=inspection, organisation="NPS") for _ in range(3)]
    for case in crc[:2]:
        case.gender = "female"
        case.save()
    for case, value in zip(crc, ["yes", "yes", "yes", "no"], strict=False):
        record(case, "RR-A1", value)
    for case, value in zip(nps, ["yes", "no", "no"], strict=True):
        record(case, "RR-A1", value)
    return {"CRC": crc, "NPS": nps}


def test_counts_yes_no_and_unanswered_by_organisation_and_together(inspection, sample):
    findings = inspection_findings(inspection)
    crc = findings.yes_no_finding("RR-A1", group="CRC")
    assert (crc.yes, crc.no, crc.unanswered, crc.relevant, crc.percent) == (3, 1, 1, 4, 75)
    assert (crc.phrase, crc.summary_phrase) == ("three-quarters", "most")
    nps = findings.yes_no_finding("RR-A1", group="NPS")
    assert (nps.yes, nps.no, nps.relevant, nps.percent) == (1, 2, 3, 33)
    together = findings.yes_no_finding("RR-A1", group="all")
    assert (together.yes, together.no, together.unanswered) == (4, 3, 1)
    assert findings.cases == {"CRC": 5, "NPS": 3, "all": 8}


def test_not_applicable_is_outside_the_relevant_cases(inspection, sample):
    for case, value in zip(sample["CRC"], ["yes", "na", "na", "no", "yes"], strict=True):
        record(case, "RR-D1", value)
    finding = inspection_findings(inspection).yes_no_finding("RR-D1", group="CRC")
    assert (finding.yes, finding.no, finding.not_applicable, finding.relevant) == (2, 1, 2, 3)
    assert finding.percent == 67


def test_a_gated_question_counts_only_the_cases_its_gate_opens(inspection, sample):
    crc = sample["CRC"]
    for case, value in zip(crc, ["yes", "yes", "yes", "no", "no"], strict=True):
        record(case, "RR-A2", value, "alcohol")
    record(crc[0], "RR-P1", "yes", "alcohol")
    record(crc[1], "RR-P1", "no", "alcohol")
    findings = inspection_findings(inspection)
    planning = findings.yes_no_finding("RR-P1", "alcohol", group="CRC")
    # Three cases have alcohol as a priority; one of them is still to be answered. The two
    # where it is not a priority were never asked, so they are not "unanswered".
    assert (planning.yes, planning.no, planning.unanswered, planning.relevant) == (1, 1, 1, 2)
    drugs = findings.yes_no_finding("RR-P1", "drugs", group="CRC")
    assert (drugs.relevant, drugs.unanswered, drugs.percent) == (0, 0, None)
    assert (drugs.phrase, drugs.summary_phrase) == (None, None)


def test_a_descriptor_gate_counts_only_cases_with_that_descriptor(inspection, sample):
    case = sample["NPS"][0]
    case.mappa_level = "2"
    case.save()
    record(case, "PP-D6", "yes")
    finding = inspection_findings(inspection).yes_no_finding("PP-D6", group="NPS")
    assert (finding.yes, finding.relevant, finding.unanswered) == (1, 1, 0)
    assert inspection_findings(inspection).yes_no_finding("PP-D6", group="CRC").unanswered == 0


def test_choice_questions_count_each_choice(inspection, sample):
    for case, value in zip(sample["CRC"], ["charged", "none", "none"], strict=False):
        record(case, "RR-O2", value)
    counts = inspection_findings(inspection).choice_finding("RR-O2", group="CRC").counts
    assert counts == {"convicted_or_cautioned": 0, "charged": 1, "arrested": 0, "none": 2}


def test_findings_can_be_cut_by_gender(inspection, sample):
    findings = inspection_findings(inspection, cut_by="gender")
    women = findings.yes_no_finding("RR-A1", group="CRC", cut="female")
    men = findings.yes_no_finding("RR-A1", group="CRC", cut="male")
    assert (women.yes, women.no) == (2, 0)
    assert (men.yes, men.no, men.unanswered) == (1, 1, 1)


def test_priority_factors_are_listed_by_frequency(inspection, sample):
    counts = {"thinking_behaviour": 4, "relationships": 2, "alcohol": 3}
    for code, yes in counts.items():
        for n, case in enumerate(sample["CRC"]):
            record(case, "RR-A2", "yes" if n < yes else "no", code)
    table = inspection_findings(inspection).priority_factors("CRC")
    assert [(code, count) for code, _label, count in table] == [
        ("thinking_behaviour", 4),
        ("alcohol", 3),
        ("relationships", 2),
    ]
    assert inspection_findings(inspection).priority_factor_list("CRC") == (
        "thinking and behaviour (4 cases); alcohol misuse (3 cases); relationships (2 cases)"
    )


def test_descriptor_tables_use_the_import_codes(inspection, sample):
    descriptors = inspection_findings(inspection).descriptors
    assert descriptors["gender"]["CRC"] == {"male": 3, "female": 2, "other": 0}
    assert descriptors["interviewed"]["all"] == {"yes": 0, "no": 8}
    assert "organisation" not in descriptors


def test_the_national_roll_up_adds_inspections_together(inspection, sample):
    other = InspectionFactory()
    record(CaseFactory(inspection=other, organisation="CRC"), "RR-A1", "yes")
    rolled = findings_for([inspection, other]).yes_no_finding("RR-A1", group="CRC")
    assert (rolled.yes, rolled.no) == (4, 1)


def test_findings_run_the_same_queries_for_few_or_many_cases(
    inspection, sample, django_assert_num_queries
):
    # The data revision (the cache's key, tests/judgements/test_findings_cache.py), the
    # framework's revision (the process keeps its questions and items, judgements.framework),
    # then the cases and the answers.
    framework_loaded(inspection.framework_id)
    with django_assert_num_queries(4):
        inspection_findings(inspection)
    for case in CaseFactory.create_batch(30, inspection=inspection, organisation="NPS"):
        record(case, "RR-A1", "no")
        record(case, "RR-A2", "yes", "drugs")
    with django_assert_num_queries(4):
        inspection_findings(inspection)


def test_json_follows_the_contract(inspection, sample):
    document = inspection_findings(inspection).as_json()
    assert set(document) == {
        "inspection", "framework", "cases", "descriptors", "findings", "numbers",
    }  # fmt: skip
    yes_no = next(row for row in document["findings"] if row["question"] == "RR-A1")
    assert list(yes_no) == [
        "question", "item", "group", "yes", "no", "not_applicable", "unanswered",
        "relevant", "percent", "phrase", "summary_phrase",
    ]  # fmt: skip
    assert (yes_no["group"], yes_no["phrase"], yes_no["summary_phrase"]) == (
        "CRC",
        "three-quarters",
        "most",
    )
    choice = next(row for row in document["findings"] if row["question"] == "RR-O2")
    assert list(choice) == ["question", "item", "group", "counts"]
    number = next(row for row in document["numbers"] if row["question"] == "CD-2")
    assert list(number) == ["question", "item", "group", "answered", "median", "minimum", "maximum"]


def test_findings_command_prints_json_and_csv(inspection, sample, capsysbinary):
    import json

    from django.core.management import call_command

    call_command("findings", "northshire", "--format", "json")
    document = json.loads(capsysbinary.readouterr().out)
    assert document["inspection"] == "northshire"
    assert document["cases"] == {"CRC": 5, "NPS": 3, "all": 8}
    call_command("findings", "northshire", "--format", "csv")
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert lines[0].startswith("question,item,group,cut,yes,no,not_applicable")
    assert "RR-A1,,CRC,,3,1,0,1,4,75,three-quarters,most,," in lines


def test_findings_command_names_an_unknown_inspection(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("findings", "nowhere")


def test_a_cut_by_a_descriptor_that_may_be_blank_keeps_the_cases_left_blank(inspection):
    recorded = CaseFactory(
        inspection=inspection, organisation="CRC", likelihood_of_reoffending="high"
    )
    blank = CaseFactory(inspection=inspection, organisation="CRC", likelihood_of_reoffending="")
    record(recorded, "RR-A1", "yes")
    record(blank, "RR-A1", "no")
    findings = inspection_findings(inspection, cut_by="likelihood_of_reoffending")
    high = findings.yes_no_finding("RR-A1", group="CRC", cut="high")
    not_recorded = findings.yes_no_finding("RR-A1", group="CRC", cut="not_recorded")
    assert (high.yes, high.no) == (1, 0)
    assert (not_recorded.yes, not_recorded.no) == (0, 1)
    assert findings.cases == {"CRC": 2, "NPS": 0, "all": 2}


def test_descriptor_tables_count_the_offence_type_and_the_requirements_of_the_order(inspection):
    CaseFactory(inspection=inspection, organisation="CRC", offence_type="theft", unpaid_work=True)
    CaseFactory(inspection=inspection, organisation="CRC", offence_type="", curfew=True)
    CaseFactory(inspection=inspection, organisation="NPS", offence_type="sexual")
    descriptors = inspection_findings(inspection).descriptors
    offences = descriptors["offence_type"]["CRC"]
    assert (offences["theft"], offences["not_recorded"], offences["sexual"]) == (1, 1, 0)
    assert descriptors["offence_type"]["NPS"]["sexual"] == 1
    assert descriptors["unpaid_work"]["all"] == {"yes": 1, "no": 2}
    assert descriptors["curfew"]["CRC"] == {"yes": 1, "no": 1}
    assert descriptors["drug_rehabilitation"]["all"] == {"yes": 0, "no": 3}


def test_the_findings_command_cuts_by_a_requirement_of_the_order(inspection, capsysbinary):
    from django.core.management import call_command

    with_work = CaseFactory(inspection=inspection, organisation="CRC", unpaid_work=True)
    without = CaseFactory(inspection=inspection, organisation="CRC")
    record(with_work, "AB-D1", "no")
    record(without, "AB-D1", "yes")

    call_command("findings", "northshire", "--format", "csv", "--cut-by", "unpaid_work")

    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert "AB-D1,,CRC,yes,0,1,0,0,1,0,none,none,," in lines
    assert "AB-D1,,CRC,no,1,0,0,0,1,100,all,all,," in lines
