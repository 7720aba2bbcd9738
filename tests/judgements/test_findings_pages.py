"""The findings pages: per domain, the report's tables, the drill-down, the filter and the
national view, as the inspection team and staff read them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judgements.framework import framework_loaded
from judgements.models import Framework
from tests.factories import CaseFactory, InspectionFactory, UserFactory
from tests.helpers import load_demo, record

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def domain_url(inspection, domain="rr", **query) -> str:
    url = reverse("findings-domain", args=[inspection.slug, domain])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cases_url(inspection, question, **query) -> str:
    url = reverse("finding-cases", args=[inspection.slug, question])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def sample(inspection, inspector):
    """Three CRC cases (one a woman's) and one NPS case, with answers to RR-A1 and CD-2."""
    cases = [
        CaseFactory(inspection=inspection, organisation="CRC", gender="female",
                    case_ref="NS-101", assigned_inspector=inspector),
        CaseFactory(inspection=inspection, organisation="CRC", gender="male", case_ref="NS-102"),
        CaseFactory(inspection=inspection, organisation="CRC", gender="male", case_ref="NS-103"),
        CaseFactory(inspection=inspection, organisation="NPS", gender="male", case_ref="NS-104"),
    ]  # fmt: skip
    record(cases[0], "RR-A1", "yes", note="Thorough look at her offending history.")
    record(cases[1], "RR-A1", "no", note="Missed the drug use.")
    record(cases[3], "RR-A1", "yes")
    for case, months in zip(cases, [4, 6, 11, 9], strict=True):
        record(case, "CD-2", str(months))
    return cases


@pytest.mark.parametrize("persona", ["inspector", "lead", "editor"])
def test_the_whole_team_reads_a_domains_findings(persona, inspection, sample, as_persona):
    body = text(as_persona(persona).get(domain_url(inspection)))
    assert '<h1 class="govuk-heading-l">Reducing reoffending</h1>' in body
    assert "RR-A1" in body and "After allocation, was the assessment" in body
    # CRC: one yes of two relevant (NS-103 unanswered); NPS: one of one; all: two of three.
    assert ">1 of 2</a> (50%)" in body and "half" in body
    assert ">1 of 1</a> (100%)" in body
    assert ">2 of 3</a> (67%)" in body and "two-thirds" in body
    assert "unanswered 1</a>" in body


def test_a_question_with_nothing_relevant_says_so(inspection, sample, as_persona):
    body = text(as_persona("lead").get(domain_url(inspection, "pp")))
    assert "No relevant cases" in body


def test_every_domain_links_to_the_others_and_the_report_tables(inspection, sample, as_persona):
    body = text(as_persona("inspector").get(domain_url(inspection, "cs")))
    for domain in ["cs", "cd", "rr", "pp", "ab", "lm"]:
        assert f'href="{domain_url(inspection, domain)}"' in body
    assert f'href="{reverse("findings", args=[inspection.slug])}"' in body
    assert 'aria-current="page">Court stage</a>' in body


def test_the_overview_links_to_the_findings(inspection, sample, as_persona):
    body = text(as_persona("inspector").get(inspection.get_absolute_url()))
    assert f'href="{reverse("findings", args=[inspection.slug])}"' in body
    assert f'href="{domain_url(inspection, "pp")}">Protecting the public</a>' in body


def test_a_number_question_shows_its_median_and_range(inspection, sample, as_persona):
    body = text(as_persona("inspector").get(domain_url(inspection, "cd")))
    assert "Median 6, range 4 to 11" in body  # CRC: 4, 6, 11
    assert "Median 7.5, range 4 to 11" in body  # all: 4, 6, 9, 11


def test_a_choice_question_shows_its_choice_counts(inspection, sample, as_persona):
    record(sample[0], "RR-O2", "charged")
    body = text(as_persona("inspector").get(reverse("findings", args=[inspection.slug])))
    assert "Reoffending since sentence or release" in body
    assert re.search(r"Charged[^<]*: <a [^>]*>1<", body)
    assert re.search(r"of 1 answered, <a [^>]*>unanswered 2</a>", body)  # CRC: NS-102, NS-103


def test_the_filter_counts_only_the_cases_with_that_value(inspection, sample, as_persona):
    body = text(as_persona("lead").get(domain_url(inspection, cases="gender:female")))
    assert "Counting only the cases where <strong>Gender: Female</strong>: 1 case" in body
    assert ">1 of 1</a> (100%)" in body and ">1 of 2</a>" not in body
    # The filter is kept in the form, and the list offers another to add to it.
    assert '<input type="hidden" name="cases" value="gender:female">' in body
    assert "Also count only the cases where" in body
    # Every link keeps the filter: the drill-downs and the other pages.
    assert "cases=gender%3Afemale" in body
    assert f'href="{domain_url(inspection, "pp")}?cases=gender%3Afemale"' in body


def test_an_unknown_filter_or_domain_is_not_found(inspection, sample, as_persona):
    client = as_persona("lead")
    assert client.get(domain_url(inspection, cases="gender:martian")).status_code == 404
    assert client.get(domain_url(inspection, "xx")).status_code == 404


def test_the_drill_down_lists_the_cases_behind_a_figure_with_their_evidence(
    inspection, inspector, sample, as_persona
):
    body = text(as_persona("editor").get(cases_url(inspection, "RR-A1", group="CRC")))
    assert "2 cases relevant (answered yes or no)" in body
    assert "NS-101" in body and "NS-102" in body and "NS-104" not in body
    assert "Thorough look at her offending history." in body and "Missed the drug use." in body
    assert inspector.get_full_name() in body  # NS-101's inspector
    assert "Not yet quality assured" in body
    assert "1 answer still missing" in body
    assert f'href="{reverse("case-detail", args=[inspection.slug, "NS-101"])}"' in body


def test_the_drill_down_of_unanswered_lists_the_cases_still_to_answer(
    inspection, sample, as_persona
):
    body = text(
        as_persona("lead").get(cases_url(inspection, "RR-A1", group="CRC", answer="unanswered"))
    )
    assert "1 case not yet answered" in body and "NS-103" in body


def test_the_drill_down_keeps_the_filter(inspection, sample, as_persona):
    body = text(as_persona("lead").get(cases_url(inspection, "RR-A1", cases="gender:female")))
    assert "1 case relevant" in body and "NS-101" in body and "NS-102" not in body
    assert "Counting only the cases where Gender: Female" in body


def test_a_drill_down_of_an_item_question_names_an_item_or_pools_them(
    inspection, sample, as_persona
):
    client = as_persona("lead")
    assert client.get(cases_url(inspection, "RR-A2", item="drugs")).status_code == 200
    assert client.get(cases_url(inspection, "RR-A2", item="gambling")).status_code == 404
    # A yes/no item question's items together; a choice question's items are never pooled.
    assert client.get(cases_url(inspection, "RR-A2")).status_code == 200
    assert client.get(cases_url(inspection, "AB-V2", answer="other")).status_code == 404
    assert client.get(cases_url(inspection, "RR-A1", answer="maybe")).status_code == 404
    assert client.get(cases_url(inspection, "XX-1")).status_code == 404


def test_another_inspections_findings_are_not_found(inspection, other_inspection, as_persona):
    assert as_persona("other_inspector").get(domain_url(inspection)).status_code == 404
    assert as_persona("lead").get(cases_url(other_inspection, "RR-A1")).status_code == 404


# The national view


@pytest.fixture
def staff_admin(db):
    user = UserFactory(username="adam", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename="view_all_inspections", content_type__app_label="inspection"
        )
    )
    return user


def test_staff_see_several_inspections_together(inspection, sample, staff_admin, as_persona):
    other = InspectionFactory(slug="eastshire")
    record(CaseFactory(inspection=other, organisation="CRC"), "RR-A1", "yes")
    url = (
        reverse("findings-national")
        + "?inspection=northshire&inspection=eastshire&domain=rr&show=together"
    )
    body = text(as_persona("staff_admin").get(url))
    assert "5 cases from 2 inspections (4 CRC, 1 NPS)" in body
    assert "2 of 3 (67%)" in body  # CRC: Northshire's one yes of two, and Eastshire's yes


def test_inspections_of_different_frameworks_are_not_combined(
    inspection, sample, staff_admin, as_persona
):
    framework = Framework.objects.create(code="qi-2027", version="1", title="Another framework")
    InspectionFactory(slug="westshire", framework=framework)
    url = reverse("findings-national") + "?inspection=northshire&inspection=westshire"
    body = text(as_persona("staff_admin").get(url))
    assert "These inspections cannot be combined" in body
    assert "only inspections of one framework combine" in body
    assert "cases from 2 inspections" not in body


def test_the_team_may_not_see_inspections_together(inspection, lead, as_persona):
    assert as_persona("lead").get(reverse("findings-national")).status_code == 403


# The same queries whatever the number of cases


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def page_queries(client, inspection) -> list[int]:
    return [
        queries_of(client, reverse("findings", args=[inspection.slug])),
        *(queries_of(client, domain_url(inspection, d)) for d in ["cs", "cd", "rr", "pp", "ab"]),
        queries_of(client, domain_url(inspection, "pp", cases="gender:female")),
        queries_of(client, cases_url(inspection, "PP-D8a", group="CRC")),
        queries_of(client, cases_url(inspection, "RR-P1", item="drugs", answer="unanswered")),
    ]


def test_each_findings_page_runs_as_many_queries_for_durham_as_for_three_cases(
    inspection, lead, as_persona
):
    for case in CaseFactory.create_batch(3, inspection=inspection, organisation="CRC"):
        record(case, "PP-D8a", "yes")
    framework_loaded(inspection.framework_id)  # as the Durham pages find it: kept
    small = page_queries(as_persona("lead"), inspection)
    durham = load_demo()
    client = Client()
    client.force_login(get_user_model().objects.get(username="lead"))
    client.get(reverse("findings", args=[durham.slug]))  # the session's first write
    assert page_queries(client, durham) == small
    # Session and user, the inspection with the role, the framework (domains, questions,
    # items), and the findings (their revision and five queries, counted afresh in a test).
    assert max(small) <= 14


def test_the_report_tables_list_each_organisations_priority_factors_most_frequent_first(
    inspection, sample, as_persona
):
    # CRC: alcohol in three cases, drugs in one; NPS: drugs only. Drugs come first in the
    # framework, and are found more often over all cases than alcohol is not: each
    # organisation's table ranks its own counts.
    for case in sample[:3]:
        record(case, "RR-A2", "yes", "alcohol")
    record(sample[0], "RR-A2", "yes", "drugs")
    record(sample[3], "RR-A2", "yes", "drugs")
    record(sample[0], "RR-P1", "yes", "alcohol")
    record(sample[1], "RR-P1", "no", "alcohol")
    body = text(as_persona("lead").get(reverse("findings", args=[inspection.slug])))
    crc = body[body.index("CRC cases (3): priority factors") : body.index("NPS cases (1)")]
    nps = body[body.index("NPS cases (1): priority factors") : body.index("The sample")]
    assert crc.index(">Alcohol misuse<") < crc.index(">Drug misuse<")
    assert ">Drug misuse<" in nps and ">Alcohol misuse<" not in nps
    alcohol = crc[crc.index(">Alcohol misuse<") : crc.index(">Drug misuse<")]
    # Identified in 3 cases of 3; the plan addressed it in 1 of the 2 answered.
    assert re.search(
        r'data-label="Identified"><a [^>]*>3<span[^>]*> CRC cases</span></a> <span[^>]*>of 3<',
        alcohol,
    )
    assert re.search(r'data-label="Addressed in the plan"><a [^>]*>1 of 2</a>', alcohol)
    assert "Risk of serious harm level" in body and "The sample" in body


def test_an_item_questions_items_together_are_a_row_of_their_own_with_its_cases(
    inspection, sample, as_persona
):
    """The report's pooled figures ("across all four stages") are on the page, not added up
    by hand: the items' judgements summed, and the drill-down lists each case and item."""
    record(sample[0], "AB-V1", "yes", "assessment")
    record(sample[0], "AB-V1", "no", "planning")
    record(sample[1], "AB-V1", "yes", "assessment")
    client = as_persona("lead")
    body = text(client.get(reverse("findings-domain", args=[inspection.slug, "ab"])))
    pooled = body[body.index("All practice stages together") :]
    pooled = pooled[: pooled.index("</tr>")]
    assert re.search(
        r'data-label="CRC"><span class="app-findings__figure"><a [^>]*>2 of 3</a> \(67%\)', pooled
    )
    drill = text(client.get(cases_url(inspection, "AB-V1", group="CRC", answer="relevant")))
    assert "3 judgements relevant" in drill
    assert drill.count(">NS-101<") == 2 and drill.count(">NS-102<") == 1
    assert ">Planning<" in drill


def test_a_choice_drill_down_says_how_many_answers_are_missing(inspection, sample, as_persona):
    record(sample[0], "RR-O2", "charged")
    body = text(
        as_persona("lead").get(cases_url(inspection, "RR-O2", group="CRC", answer="charged"))
    )
    assert "1 case answered “Charged" in body and "NS-101" in body
    assert "2 answers still missing" in body  # NS-102 and NS-103


def test_the_filter_offers_the_inspections_offices(inspection, sample, as_persona):
    sample[0].office = "Riverside hub"
    sample[0].save()
    client = as_persona("lead")
    body = text(client.get(domain_url(inspection)))
    assert '<option value="office:Riverside hub">Office or hub: Riverside hub</option>' in body
    body = text(client.get(domain_url(inspection, cases="office:Riverside%20hub")))
    assert "Counting only the cases where <strong>Office or hub: Riverside hub</strong>" in body
    assert ">1 of 1</a> (100%)" in body


def test_the_national_view_runs_as_many_queries_for_more_inspections_and_cases(
    inspection, sample, staff_admin, as_persona
):
    client = as_persona("staff_admin")
    url = reverse("findings-national") + "?inspection=northshire&domain=pp&show=together"
    framework_loaded(inspection.framework_id)  # kept by the process from the first page on
    alone = queries_of(client, url)
    other = InspectionFactory(slug="eastshire")
    for case in CaseFactory.create_batch(30, inspection=other, organisation="NPS"):
        record(case, "PP-D8a", "no")
    together = queries_of(client, url + "&inspection=eastshire")
    assert together == alone
    body = text(client.get(url + "&inspection=eastshire"))
    assert "0 of 30 (0%)" in body  # NPS: Eastshire's thirty noes
    assert "/findings/questions/" not in body  # a roll-up has no drill-down


def test_filters_combine_every_descriptor_at_once_and_either_value_of_one(
    inspection, sample, as_persona
):
    """`?cases=gender:male&cases=rosh_level:high` counts men's high-risk cases, not the last
    filter alone; two values of one descriptor count either; each filter can be removed."""
    from cases.models import Case

    Case.objects.filter(case_ref="NS-102").update(rosh_level="high")
    client = as_persona("lead")
    both = text(client.get(domain_url(inspection, cases="gender:male&cases=rosh_level:high")))
    assert "Gender: Male and Risk of serious harm level: High" in both
    assert ": 1 case (1 CRC, 0 NPS)" in both
    # RR-A1 in CRC: NS-102 answered no; NS-101 (a woman, medium) is not counted.
    assert ">0 of 1</a> (0%)" in both
    assert 'href="?cases=rosh_level%3Ahigh">Remove Gender: Male' in both
    assert 'name="cases" value="gender:male"' in both  # kept when another is added
    either = text(client.get(domain_url(inspection, cases="gender:male&cases=gender:female")))
    assert "Gender: Male or Gender: Female" in either and ": 4 cases (3 CRC, 1 NPS)" in either
    drill = text(
        client.get(
            cases_url(inspection, "RR-A1", group="CRC", cases="gender:male&cases=rosh_level:high")
        )
    )
    assert "1 case relevant" in drill and ">NS-102<" in drill and ">NS-101<" not in drill


def test_a_domain_side_by_side_by_a_descriptor_heads_each_value_with_its_cases(
    inspection, sample, as_persona
):
    url = reverse("findings-by-descriptor", args=[inspection.slug, "rr", "gender"])
    body = text(as_persona("lead").get(url + "?group=CRC"))
    assert "Reducing reoffending by gender" in body
    assert re.search(
        r"Female <span[^>]*>\(1 case\)</span></th>.*?Male <span[^>]*>\(2 cases\)", body
    )
    rr_a1 = body[body.index(">RR-A1<") :]
    rr_a1 = rr_a1[: rr_a1.index("</tr>")]
    # CRC women: NS-101 yes; CRC men: NS-102 no (NS-103 unanswered).
    assert re.search(r'data-label="Female"><a [^>]*cases=gender%3Afemale[^>]*>1 of 1<', rr_a1)
    assert re.search(r'data-label="Male"><a [^>]*cases=gender%3Amale[^>]*>0 of 1<', rr_a1)
    domain = text(as_persona("lead").get(domain_url(inspection)))
    assert f'href="{url}"' in domain
    assert as_persona("lead").get(url + "?group=nobody").status_code == 404
