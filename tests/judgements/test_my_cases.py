"""My cases: the cases waiting for the person first (a lead's cases to review, an inspector's
returned cases), then the rest in the order they would be worked through; a GET filter by
inspection and status that keeps itself in the address and says how many cases match."""

import re

import pytest
from django.urls import reverse

from cases.models import CaseStatus, case_work_rank
from inspection.models import Role
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory

LEAD_ORDER = ["submitted", "returned", "in_progress", "not_started", "quality_assured"]
INSPECTOR_ORDER = ["returned", "in_progress", "not_started", "submitted", "quality_assured"]


def listed(response) -> list[str]:
    """The case references in the order My cases lists them."""
    return re.findall(r">Case ([A-Z]+-\d+)</a>", response.content.decode())


def count_line(response) -> str:
    match = re.search(r'<p class="govuk-body" id="case-count">(.*?)</p>', response.content.decode())
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.fixture
def earlier_inspection(inspection, lead, inspector):
    """An inspection whose title sorts first (as Durham does before Westmoor in the demo),
    with the same lead and inspector, and many quality-assured cases."""
    earlier = InspectionFactory(area_name="Aardale", slug="aardale", title="Aardale 2016")
    MembershipFactory(inspection=earlier, user=lead, role=Role.LEAD_INSPECTOR)
    MembershipFactory(inspection=earlier, user=inspector, role=Role.INSPECTOR)
    for number in range(1, 6):
        CaseFactory(
            inspection=earlier,
            case_ref=f"AA-{number:03d}",
            assigned_inspector=inspector,
            status=CaseStatus.QUALITY_ASSURED,
        )
    return earlier


@pytest.fixture
def one_case_of_each_status(inspection, inspector):
    for number, status in enumerate(CaseStatus.values, start=1):
        CaseFactory(
            inspection=inspection,
            case_ref=f"NS-{number:03d}",
            assigned_inspector=inspector,
            status=status,
        )


def test_the_rule_puts_what_waits_for_the_person_first():
    def order(**who):
        return sorted(CaseStatus.values, key=lambda status: case_work_rank(status, **who))

    assert order(reviews=True, assigned=False) == LEAD_ORDER
    assert order(reviews=False, assigned=True) == INSPECTOR_ORDER


def test_a_leads_case_to_review_comes_first_whatever_its_inspection(
    as_persona, lead, earlier_inspection, one_case_of_each_status
):
    cases = listed(as_persona("lead").get(reverse("my-cases")))

    assert cases[:5] == ["NS-003", "NS-004", "NS-002", "NS-001", "AA-001"]
    assert len(cases) == 10
    page = as_persona("lead").get(reverse("my-cases")).content.decode()
    assert page.count("Waiting for your review") == 1


def test_an_inspectors_returned_case_comes_first_and_submitted_ones_wait_near_the_end(
    as_persona, inspector, earlier_inspection, one_case_of_each_status
):
    cases = listed(as_persona("inspector").get(reverse("my-cases")))

    assert cases[:5] == ["NS-004", "NS-002", "NS-001", "NS-003", "AA-001"]


def test_the_filter_by_inspection_and_status_is_in_the_address_and_counts_the_matches(
    as_persona, lead, earlier_inspection, one_case_of_each_status
):
    lena = as_persona("lead")
    url = reverse("my-cases") + "?inspection=northshire&status=submitted&status=returned"

    response = lena.get(url)

    assert listed(response) == ["NS-003", "NS-004"]
    assert count_line(response) == "2 of your 10 cases match these filters"
    page = response.content.decode()
    assert '<option value="northshire" selected>' in page
    assert 'value="submitted" checked' in page and 'value="returned" checked' in page
    assert 'value="in_progress" checked' not in page
    assert count_line(lena.get(reverse("my-cases") + "?inspection=aardale")) == (
        "5 of your 10 cases match these filters"
    )
    assert count_line(lena.get(reverse("my-cases"))) == "You have 10 cases"


def test_a_filter_naming_no_inspection_of_mine_says_so_and_lists_everything(
    as_persona, inspector, other_case, one_case_of_each_status
):
    response = as_persona("inspector").get(reverse("my-cases") + "?inspection=southshire")

    assert "Choose an inspection from the list" in response.content.decode()
    assert "SS-001" not in listed(response)
    assert len(listed(response)) == 5


def test_my_cases_reads_a_few_queries_per_inspection_not_per_case(
    as_persona, lead, earlier_inspection, one_case_of_each_status, django_assert_max_num_queries
):
    lena = as_persona("lead")
    lena.get(reverse("my-cases"))  # what the process keeps (the framework) is read once
    for number in range(6, 30):
        CaseFactory(inspection=earlier_inspection, case_ref=f"AA-{number:03d}")

    with django_assert_max_num_queries(15):
        response = lena.get(reverse("my-cases"))

    assert len(listed(response)) == 34
