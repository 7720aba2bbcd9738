"""The findings engine: counts, relevant cases, gates, cuts and the query budget."""

import pickle

import pytest
from django.utils import timezone

from judgements.findings import findings_for, inspection_findings
from judgements.framework import framework_loaded
from judgements.models import Answer, Question
from judgements.services import framework_copy
from judgements.writing import answer_services_writing
from tests.factories import CaseFactory, InspectionFactory
from tests.helpers import question, record


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


def test_a_finding_is_looked_up_by_its_key_and_the_cache_keeps_the_rows_not_the_lookups(
    inspection, sample
):
    findings = findings_for([inspection])
    assert findings.yes_no_finding("RR-A1", group="CRC").yes == 3
    assert findings.question_code("rr-a1") == "RR-A1" and findings.question_code("RR-Z9") is None
    with pytest.raises(KeyError, match="No finding for RR-A1"):
        findings.yes_no_finding("RR-A1", group="CRC", cut="female")

    kept = pickle.loads(pickle.dumps(findings))

    assert "_keyed" in vars(findings) and "_keyed" not in vars(kept)
    assert kept.yes_no_finding("RR-A1", group="NPS").yes == 1
    assert kept.as_json() == findings.as_json()


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
    # then the cases, the answers and the combinations the lead named.
    framework_loaded(inspection.framework_id)
    with django_assert_num_queries(5):
        inspection_findings(inspection)
    for case in CaseFactory.create_batch(30, inspection=inspection, organisation="NPS"):
        record(case, "RR-A1", "no")
        record(case, "RR-A2", "yes", "drugs")
    with django_assert_num_queries(5):
        inspection_findings(inspection)


def test_json_follows_the_contract(inspection, sample):
    document = inspection_findings(inspection).as_json()
    assert set(document) == {
        "inspection", "framework", "cases", "descriptors", "findings", "numbers", "combinations",
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
    assert "RR-A1,,CRC,,3,1,0,1,4,75,three-quarters,most,,,False" in lines


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
    assert "AB-D1,,CRC,yes,0,1,0,0,1,0,none,none,,,False" in lines
    assert "AB-D1,,CRC,no,1,0,0,0,1,100,all,all,,,False" in lines


# Cuts, organisations, gates, items and frameworks


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


def test_descriptor_tables_count_interviewed_cases_and_unrecorded_likelihood(inspection):
    CaseFactory(inspection=inspection, organisation="CRC", interviewed=True)
    CaseFactory(inspection=inspection, organisation="NPS", likelihood_of_reoffending="")
    descriptors = inspection_findings(inspection).descriptors
    assert descriptors["interviewed"]["all"] == {"yes": 1, "no": 1}
    assert descriptors["likelihood_of_reoffending"]["NPS"]["not_recorded"] == 1


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
