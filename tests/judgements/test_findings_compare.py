"""Findings beside the national figure: an inspection's lead and editor compare a domain with
every published inspection of the framework; whoever may view every inspection sees a column
per inspection on the national page. Counts only: never another inspection's case, note,
descriptor, inspector or office."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.models import Inspection, Role
from inspection.services import inspection_correction_open, inspection_status_change
from judgements.comparison import national_findings
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory
from tests.helpers import record

pytestmark = pytest.mark.django_db

MINUS = "\N{MINUS SIGN}"
EASTSHIRE_NOTE = "Eastshire's officer met him at the hostel every week."


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    body = re.sub(r"\s+", " ", response.content.decode())
    assert "{#" not in body, "a template comment printed as text"
    return body


def compare_url(inspection, domain="rr", **query) -> str:
    url = reverse("findings-compare", args=[inspection.slug, domain])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def national_url(*slugs, **query) -> str:
    picked = "&".join(f"inspection={slug}" for slug in slugs)
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{reverse('findings-national')}?{picked}{extra}"


def cells(body: str, code: str) -> dict[str, str]:
    """The figures on a question's row, by column heading, as a person reads them."""
    start = body.index(f'<span class="app-question-code">{code}</span>')
    row = body[start : body.index("</tr>", start)]
    found = re.findall(r'<td [^>]*data-label="([^"]+)">(.*?)</td>', row)
    return {label: re.sub(r"<[^>]+>", " ", cell).split() for label, cell in found}


def choice_cells(body: str, code: str, choice: str) -> dict[str, list[str]]:
    """The figures on one choice's line of a choice question."""
    start = body.index(f'<span class="govuk-visually-hidden">{code}: </span>{choice}')
    row = body[start : body.index("</tr>", start)]
    found = re.findall(r'<td [^>]*data-label="([^"]+)">(.*?)</td>', row)
    return {label: re.sub(r"<[^>]+>", " ", cell).split() for label, cell in found}


def publish(inspection: Inspection) -> None:
    """Publish as the editor does at the end of drafting (a command here: by None)."""
    Inspection.objects.filter(pk=inspection.pk).update(status="drafting")
    inspection_status_change(inspection=inspection, to_status="published", by=None)


@pytest.fixture
def northshire(inspection, lead, editor, inspector):
    """Northshire, in fieldwork: RR-A1 yes, no, yes for CRC and no for NPS; RR-O2 none."""
    cases = [
        CaseFactory(inspection=inspection, organisation=organisation, case_ref=f"NS-10{n}")
        for n, organisation in enumerate(["CRC", "CRC", "CRC", "NPS"], start=1)
    ]
    for case, value in zip(cases, ["yes", "no", "yes", "no"], strict=True):
        record(case, "RR-A1", value)
    record(cases[0], "RR-O2", "none")
    return inspection


@pytest.fixture
def published_areas(db):
    """Two published inspections and one in fieldwork (not counted nationally).

    Eastshire: RR-A1 yes, yes (CRC), yes, no (NPS); RR-O2 charged, none; CD-2 4 and 10.
    Westshire: RR-A1 no (CRC), yes (NPS). Southshire, in fieldwork: RR-A1 yes (CRC).
    """
    officer = UserFactory(username="eastshire-officer", first_name="Quentin", last_name="Marsh")
    east = InspectionFactory(area_name="Eastshire", slug="eastshire")
    MembershipFactory(inspection=east, user=officer, role=Role.INSPECTOR)
    east_cases = [
        CaseFactory(
            inspection=east,
            organisation=organisation,
            case_ref=f"EA-90{n}",
            office="Eastshire riverside hub",
            assigned_inspector=officer,
        )
        for n, organisation in enumerate(["CRC", "CRC", "NPS", "NPS"], start=1)
    ]
    for case, value in zip(east_cases, ["yes", "yes", "yes", "no"], strict=True):
        record(case, "RR-A1", value, note=EASTSHIRE_NOTE)
    record(east_cases[0], "RR-O2", "charged")
    record(east_cases[1], "RR-O2", "none")
    record(east_cases[0], "CD-2", "4")
    record(east_cases[1], "CD-2", "10")
    west = InspectionFactory(area_name="Westshire", slug="westshire")
    record(CaseFactory(inspection=west, organisation="CRC", case_ref="WE-901"), "RR-A1", "no")
    record(CaseFactory(inspection=west, organisation="NPS", case_ref="WE-902"), "RR-A1", "yes")
    south = InspectionFactory(area_name="Southshire", slug="southshire")
    record(CaseFactory(inspection=south, organisation="CRC", case_ref="SS-901"), "RR-A1", "yes")
    publish(east)
    publish(west)
    return {"east": east, "west": west, "south": south}


@pytest.fixture
def staff_admin(db):
    user = UserFactory(username="adam", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename="view_all_inspections", content_type__app_label="inspection"
        )
    )
    return user


# An inspection's comparison


def test_the_lead_sees_each_finding_beside_the_national_figure(
    northshire, published_areas, as_persona
):
    body = text(as_persona("lead").get(compare_url(northshire)))
    assert "Reducing reoffending compared with the national figure" in body
    # Northshire: 2 yes of 4 relevant; nationally (Eastshire and Westshire, not Southshire,
    # which is not published): 4 of 6.
    assert cells(body, "RR-A1") == {
        "This inspection": ["50%", "2", "of", "4"],
        "National": ["67%", "4", "of", "6"],
        "Difference": [f"{MINUS}17", "percentage", "points", "from", "the", "national", "figure"],
    }
    assert "every published inspection of this framework (qi-2016)" in body
    assert "2 inspections, 6 cases (3 CRC, 3 NPS)" in body
    assert "this one among them" not in body


def test_the_comparison_counts_one_organisations_cases_when_asked(
    northshire, published_areas, as_persona
):
    client = as_persona("editor")
    crc = cells(text(client.get(compare_url(northshire, group="CRC"))), "RR-A1")
    assert crc["This inspection"][:4] == ["67%", "2", "of", "3"]
    assert crc["National"] == ["67%", "2", "of", "3"]  # Eastshire's two yes, Westshire's no
    assert crc["Difference"][0] == "0"
    nps = cells(text(client.get(compare_url(northshire, group="NPS"))), "RR-A1")
    assert nps["This inspection"][:4] == ["0%", "0", "of", "1"]
    assert nps["National"] == ["67%", "2", "of", "3"]
    assert nps["Difference"][0] == f"{MINUS}67"
    assert client.get(compare_url(northshire, group="martian")).status_code == 404


def test_a_choice_is_compared_as_a_share_of_the_cases_answered(
    northshire, published_areas, as_persona
):
    body = text(as_persona("lead").get(compare_url(northshire)))
    charged = choice_cells(body, "RR-O2", "Charged")
    assert charged["This inspection"] == ["0%", "0", "of", "1"]
    assert charged["National"] == ["50%", "1", "of", "2"]
    assert charged["Difference"][0] == f"{MINUS}50"
    no_offending = choice_cells(body, "RR-O2", "No")
    assert no_offending["This inspection"] == ["100%", "1", "of", "1"]
    assert no_offending["Difference"][0] == "+50"


def test_a_number_question_is_compared_by_its_median(northshire, published_areas, as_persona):
    body = text(as_persona("lead").get(compare_url(northshire, "cd")))
    assert cells(body, "CD-2")["National"] == [
        "Median", "7", "range", "4", "to", "10,", "2", "answers",
    ]  # fmt: skip
    assert cells(body, "CD-2")["This inspection"] == ["No", "answers", "yet"]


def test_no_case_note_office_or_inspector_of_another_inspection_is_shown(
    northshire, published_areas, as_persona
):
    client = as_persona("lead")
    pages = [client.get(compare_url(northshire, domain)) for domain in ["rr", "cd", "pp"]]
    for body in map(text, pages):
        for secret in ["EA-90", "WE-90", "SS-90", "Eastshire", "Westshire", "riverside hub",
                       "Quentin", "Marsh", "hostel"]:  # fmt: skip
            assert secret not in body
        assert "/findings/questions/" not in body  # no drill-down from a comparison


def test_with_no_other_inspection_published_the_page_says_so(northshire, as_persona):
    body = text(as_persona("lead").get(compare_url(northshire)))
    assert "No other inspection of this framework (qi-2016) is published yet" in body
    assert "app-compare-table" not in body


def test_an_inspection_published_alone_has_nothing_to_compare_with(northshire, as_persona):
    publish(northshire)
    body = text(as_persona("lead").get(compare_url(northshire)))
    assert "No other inspection of this framework (qi-2016) is published yet" in body


def test_a_published_inspection_is_part_of_the_national_figure(
    northshire, published_areas, as_persona
):
    publish(northshire)
    body = text(as_persona("lead").get(compare_url(northshire)))
    assert "3 inspections, this one among them, 10 cases" in body
    national = cells(body, "RR-A1")["National"]
    assert national == ["60%", "6", "of", "10"]  # 4 of 6 and Northshire's 2 of 4


def test_the_domain_pages_link_to_the_comparison_for_those_who_may_compare(northshire, as_persona):
    domain = reverse("findings-domain", args=[northshire.slug, "pp"])
    link = f'href="{compare_url(northshire, "pp")}"'
    assert link in text(as_persona("lead").get(domain))
    assert link not in text(as_persona("inspector").get(domain))
    overview = text(as_persona("editor").get(reverse("findings", args=[northshire.slug])))
    assert "Compare with the national figure" in overview


def test_another_inspections_lead_cannot_see_this_inspections_comparison(
    northshire, published_areas, as_persona
):
    MembershipFactory(
        inspection=published_areas["south"],
        user=UserFactory(username="sol"),
        role=Role.LEAD_INSPECTOR,
    )
    client = as_persona("lead")
    assert client.get(compare_url(published_areas["south"])).status_code == 404
    client.force_login(UserFactory(username="sol"))
    assert client.get(compare_url(northshire)).status_code == 404
    assert client.get(compare_url(published_areas["south"])).status_code == 200


def test_an_inspector_on_the_team_is_told_the_comparison_is_not_theirs(northshire, as_persona):
    response = as_persona("inspector").get(compare_url(northshire))
    assert response.status_code == 403
    assert "compare the findings with the national figure" in response.content.decode()


# The national figure, cached


def test_the_national_figure_is_counted_once_until_an_inspection_is_published(
    northshire, published_areas, django_capture_on_commit_callbacks, django_assert_num_queries
):
    framework = northshire.framework_id
    with django_capture_on_commit_callbacks(execute=True):
        first = national_findings(framework)
    with django_assert_num_queries(1):  # the published inspections and their revisions
        again = national_findings(framework)
    assert again.findings.yes_no_finding("RR-A1").yes == first.findings.yes_no_finding(
        "RR-A1"
    ).yes == 4  # fmt: skip

    publish(published_areas["south"])
    assert national_findings(framework).findings.yes_no_finding("RR-A1").yes == 5
    assert national_findings(framework).inspections == 3


def test_a_correction_takes_an_inspection_out_of_the_national_figure_until_published_again(
    northshire, published_areas, django_capture_on_commit_callbacks
):
    east = published_areas["east"]
    with django_capture_on_commit_callbacks(execute=True):
        assert national_findings(east.framework_id).inspections == 2
    inspection_correction_open(inspection=east, by=None, reason="A case was counted twice.")
    reopened = national_findings(east.framework_id)
    assert reopened.inspections == 1
    assert reopened.findings.yes_no_finding("RR-A1").yes == 1  # Westshire's alone
    case = east.cases.get(case_ref="EA-901")
    record(case, "RR-A1", "no")
    publish(east)
    assert national_findings(east.framework_id).findings.yes_no_finding("RR-A1").yes == 3


# The national page, for whoever may view every inspection


def test_the_national_page_gives_a_column_per_inspection_beside_the_national_figure(
    northshire, published_areas, staff_admin, as_persona
):
    body = text(as_persona("staff_admin").get(national_url("northshire", "eastshire", domain="rr")))
    assert "8 cases from 2 inspections (5 CRC, 3 NPS)" in body
    row = cells(body, "RR-A1")
    assert list(row) == ["Eastshire", "Northshire", "Together", "National"]
    # Northshire 2 of 4, Eastshire 3 of 4, together 5 of 8; nationally 4 of 6 (67%).
    assert row["Northshire"] == ["50%", "2", "of", "4", f"{MINUS}17", "points", "from", "the",
                                 "national", "figure"]  # fmt: skip
    assert row["Eastshire"][:5] == ["75%", "3", "of", "4", "+8"]
    assert row["Together"][:5] == ["63%", "5", "of", "8", f"{MINUS}4"]
    assert row["National"] == ["67%", "4", "of", "6"]
    assert "2 inspections, 6 cases (3 CRC, 3 NPS)" in body


def test_the_national_page_without_a_published_inspection_shows_the_columns_alone(
    northshire, staff_admin, as_persona
):
    other = InspectionFactory(area_name="Eastshire", slug="eastshire")
    record(CaseFactory(inspection=other, organisation="NPS"), "RR-A1", "yes")
    body = text(as_persona("staff_admin").get(national_url("northshire", "eastshire")))
    assert "No inspection of this framework is published yet" in body
    row = cells(text(as_persona("staff_admin").get(national_url(
        "northshire", "eastshire", domain="rr", group="NPS"
    ))), "RR-A1")  # fmt: skip
    assert row == {
        "Eastshire": ["100%", "1", "of", "1"],
        "Northshire": ["0%", "0", "of", "1"],
        "Together": ["50%", "1", "of", "2"],
    }


def test_the_national_page_still_adds_the_inspections_together_when_asked(
    northshire, published_areas, staff_admin, as_persona
):
    url = national_url("northshire", "eastshire", domain="rr", show="together")
    body = text(as_persona("staff_admin").get(url))
    assert "5 of 8 (63%)" in body and "app-compare-table" not in body
    assert '<input class="govuk-radios__input" id="show-together" name="show" type="radio" ' \
        'value="together" checked>' in body  # fmt: skip


def test_the_national_page_asks_as_often_for_three_inspections_as_for_two_once_counted(
    northshire, published_areas, staff_admin, as_persona, django_capture_on_commit_callbacks
):
    client = as_persona("staff_admin")
    two = national_url("northshire", "eastshire", domain="rr")
    three = national_url("northshire", "eastshire", "westshire", domain="rr")
    with django_capture_on_commit_callbacks(execute=True):  # each inspection's findings kept
        client.get(three)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(three) == queries(two)
