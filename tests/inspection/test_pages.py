"""What each page shows its users, and that list pages run a constant number of queries."""

import re

from django.urls import reverse

from tests.factories import CaseFactory, UserFactory
from tests.helpers import question, record


def test_overview_shows_status_team_and_sample_counts(inspection, case, lead, editor, as_persona):
    CaseFactory.create_batch(2, inspection=inspection, organisation="NPS")
    page = (
        as_persona("lead").get(reverse("inspection-overview", args=["northshire"])).content.decode()
    )
    assert "Fieldwork" in page
    assert lead.get_full_name() in page and editor.get_full_name() in page
    assert "Lead inspector" in page
    assert ">1</td>" in page  # one CRC case
    assert ">2</td>" in page  # two NPS cases
    assert "<strong>3</strong>" in page


def test_case_list_filters_by_organisation_status_and_inspector(inspection, inspector, as_persona):
    other = UserFactory(username="olu")
    CaseFactory(
        inspection=inspection, case_ref="CRC-A", organisation="CRC", assigned_inspector=inspector
    )
    CaseFactory(
        inspection=inspection, case_ref="NPS-B", organisation="NPS", assigned_inspector=other
    )
    CaseFactory(inspection=inspection, case_ref="NPS-C", organisation="NPS", status="submitted")
    browser = as_persona("inspector")
    url = reverse("case-list", args=["northshire"])

    def refs(query):
        page = browser.get(url, query).content.decode()
        return {ref for ref in ("CRC-A", "NPS-B", "NPS-C") if f">{ref}</a>" in page}

    assert refs({}) == {"CRC-A", "NPS-B", "NPS-C"}
    assert refs({"organisation": "NPS"}) == {"NPS-B", "NPS-C"}
    assert refs({"status": "submitted"}) == {"NPS-C"}
    assert refs({"inspector": str(inspector.id)}) == {"CRC-A"}
    assert refs({"inspector": "none"}) == {"NPS-C"}


def test_case_list_ignores_a_filter_value_it_does_not_know(case, as_persona):
    response = as_persona("inspector").get(
        reverse("case-list", args=["northshire"]), {"organisation": "XYZ"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_case_list_runs_the_same_queries_for_5_or_40_cases(
    inspection, inspector, as_persona, django_assert_max_num_queries
):
    browser = as_persona("inspector")
    url = reverse("case-list", args=["northshire"])
    CaseFactory.create_batch(5, inspection=inspection, assigned_inspector=inspector)
    # The first page after signing in saves the session's new expiry; the first list after
    # cases are added counts and keeps their progress (judgements.progress.listed_progress).
    browser.get(url)
    with django_assert_max_num_queries(11) as few:
        browser.get(url)
    CaseFactory.create_batch(35, inspection=inspection, assigned_inspector=inspector)
    with django_assert_max_num_queries(11 + 5):
        browser.get(url)
    with django_assert_max_num_queries(11) as many:
        browser.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_case_page_lists_descriptors_and_answers_by_domain_and_theme(case, inspector, as_persona):
    record(case, "RR-A1", "no", note="<b>OASys</b> not updated", user=inspector)
    page = as_persona("inspector").get(case.get_absolute_url()).content.decode()
    assert "Medium" in page and "Community order" in page and "Central hub" in page
    assert "Reducing reoffending" in page and "Assessment" in page
    assert "RR-A1" in page
    assert "&lt;b&gt;OASys&lt;/b&gt; not updated" in page  # evidence escaped, never altered
    assert re.search(r">1 of \d+ questions answered<", page)


def test_case_page_runs_the_same_queries_for_1_or_10_answers(
    case, inspector, as_persona, django_assert_max_num_queries
):
    browser = as_persona("inspector")
    first, *others = question("RR-A2").item_set.items.values_list("code", flat=True)
    record(case, "RR-A2", "yes", first, user=inspector)
    browser.get(case.get_absolute_url())  # the first page after signing in saves the session
    with django_assert_max_num_queries(15) as one:
        browser.get(case.get_absolute_url())
    for code in others:
        record(case, "RR-A2", "yes", code, user=inspector)
    with django_assert_max_num_queries(15) as ten:
        browser.get(case.get_absolute_url())

    assert len(others) == 9
    assert len(ten.captured_queries) == len(one.captured_queries)


def test_published_inspection_says_it_is_read_only(inspection, case, as_persona):
    inspection.status = "published"
    inspection.save()
    page = as_persona("inspector").get(reverse("inspection-overview", args=["northshire"]))
    assert "read-only" in page.content.decode()


def test_signing_in_takes_you_to_your_inspections(inspector, client):
    response = client.post(
        reverse("login"),
        {"username": "ivy", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.request["PATH_INFO"] == reverse("my-inspections")
    assert "Northshire" in response.content.decode()


def test_a_wrong_password_is_refused_with_an_error_summary(inspector, client):
    response = client.post(reverse("login"), {"username": "ivy", "password": "wrong"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "govuk-error-summary" in page
