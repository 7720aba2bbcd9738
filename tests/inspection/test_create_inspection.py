"""Creating an inspection: manage.py create_inspection and the staff-only page.

Who may open the page is in the URL × persona table (tests/test_url_permissions.py).
"""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from inspection.models import Inspection
from tests.helpers import run


def create_refused(*args: str) -> list[str]:
    with pytest.raises(CommandError) as error:
        call_command("create_inspection", *args, stdout=io.StringIO())
    summary, *problems = str(error.value).splitlines()
    assert summary == "No inspection was created:"
    return problems


# The command


def test_command_creates_an_empty_inspection_named_from_its_area(db):
    output = run("create_inspection", "cumbria-2016", "--area", "Cumbria", "--framework", "qi-2016")

    inspection = Inspection.objects.get(slug="cumbria-2016")
    assert "Created Quality & Impact inspection: Cumbria (cumbria-2016)" in output
    assert (inspection.title, inspection.crc_name, inspection.nps_name) == (
        "Quality & Impact inspection: Cumbria",
        "Cumbria Community Rehabilitation Company",
        "National Probation Service, Cumbria",
    )
    assert (inspection.framework.code, inspection.status) == ("qi-2016", "setup")
    assert not inspection.cases.exists() and not inspection.team.exists()


def test_command_takes_names_and_fieldwork_dates(db):
    run(
        "create_inspection",
        "durham-2017",
        "--area=Durham",
        "--framework=qi-2016",
        "--title=Quality & Impact: Durham (2017)",
        "--crc-name=Durham Tees Valley CRC",
        "--nps-name=NPS North East",
        "--fieldwork-start=2017-05-08",
        "--fieldwork-end=2017-05-19",
    )

    inspection = Inspection.objects.get(slug="durham-2017")
    assert (inspection.title, inspection.crc_name, inspection.nps_name) == (
        "Quality & Impact: Durham (2017)",
        "Durham Tees Valley CRC",
        "NPS North East",
    )
    assert (inspection.fieldwork_start, inspection.fieldwork_end) == (
        date(2017, 5, 8),
        date(2017, 5, 19),
    )


def test_a_slug_already_taken_is_refused_naming_it(inspection):
    assert create_refused("northshire", "--area", "Northshire", "--framework", "qi-2016") == [
        "slug: An inspection with the slug “northshire” already exists; choose another slug."
    ]
    assert Inspection.objects.filter(slug="northshire").count() == 1


def test_an_unknown_framework_is_refused_naming_the_known_ones(db):
    assert create_refused("cumbria-2016", "--area", "Cumbria", "--framework", "qi-2099") == [
        "--framework: There is no framework “qi-2099”; known: qi-2016."
    ]
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("slug", ["Cumbria 2016", "cumbria/2016", "new"])
def test_a_slug_that_cannot_be_an_address_is_refused(db, slug):
    (problem,) = create_refused(slug, "--area", "Cumbria", "--framework", "qi-2016")

    assert problem.startswith("slug: ")
    assert not Inspection.objects.exists()


def test_every_problem_is_listed_at_once(inspection):
    problems = create_refused(
        "northshire",
        "--area=",
        "--framework=qi-2099",
        "--fieldwork-start=2016-05-20",
        "--fieldwork-end=2016-05-09",
    )

    assert [problem.split(":")[0] for problem in problems] == [
        "--framework",
        "slug",
        "--area",
        "--fieldwork-end",
    ]


def test_a_date_not_in_iso_form_is_refused(db):
    with pytest.raises(CommandError, match="“20/5/2016” is not a date; write it as YYYY-MM-DD"):
        call_command(
            "create_inspection",
            "x",
            "--area=X",
            "--framework=qi-2016",
            "--fieldwork-start=20/5/2016",
        )


# The page


def form_data(**changes) -> dict:
    data = {
        "area_name": "Cumbria",
        "slug": "cumbria-2016",
        "framework": "qi-2016",
        "fieldwork_start_0": "6",
        "fieldwork_start_1": "6",
        "fieldwork_start_2": "2016",
        "fieldwork_end_0": "17",
        "fieldwork_end_1": "6",
        "fieldwork_end_2": "2016",
    }
    return data | changes


def test_staff_create_an_inspection_and_land_on_its_overview(admin_user, as_persona):
    browser = as_persona("admin_user")

    response = browser.post(reverse("inspection-new"), form_data(), follow=True)

    inspection = Inspection.objects.get(slug="cumbria-2016")
    assert response.redirect_chain == [(inspection.get_absolute_url(), 302)]
    assert (inspection.title, inspection.fieldwork_end) == (
        "Quality & Impact inspection: Cumbria",
        date(2016, 6, 17),
    )
    assert "Quality &amp; Impact inspection: Cumbria is set up" in response.content.decode()


def test_a_duplicate_slug_is_shown_in_a_govuk_error_summary_naming_it(
    inspection, admin_user, as_persona
):
    response = as_persona("admin_user").post(
        reverse("inspection-new"), form_data(slug="northshire")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("govuk-error-summary") >= 1
    summary = page[page.index("govuk-error-summary__list") :]
    assert (
        '<a href="#id_slug">An inspection with the slug “northshire” already exists; '
        "choose another slug.</a>" in summary
    )
    assert "<title>Error: Create an inspection" in page
    assert Inspection.objects.filter(slug="northshire").count() == 1


def test_fieldwork_ending_before_it_starts_is_shown_against_the_end_date(admin_user, as_persona):
    data = form_data(fieldwork_end_0="1")

    page = as_persona("admin_user").post(reverse("inspection-new"), data).content.decode()

    assert "Fieldwork must end on or after the day it starts." in page
    assert 'href="#id_fieldwork_end' in page
    assert not Inspection.objects.filter(slug="cumbria-2016").exists()


@pytest.mark.parametrize("persona", ["inspector", "lead", "editor"])
def test_a_team_member_cannot_create_an_inspection(inspection, persona, as_persona):
    response = as_persona(persona).post(reverse("inspection-new"), form_data())

    assert response.status_code == 403
    assert not Inspection.objects.filter(slug="cumbria-2016").exists()


def test_my_inspections_offers_create_an_inspection_to_staff_only(
    inspector, admin_user, as_persona
):
    link = f'href="{reverse("inspection-new")}"'

    assert link in as_persona("admin_user").get(reverse("my-inspections")).content.decode()
    assert link not in as_persona("inspector").get(reverse("my-inspections")).content.decode()


def test_an_empty_form_says_what_to_enter_for_each_required_answer(admin_user, as_persona):
    empty = {"area_name": "", "slug": "", "framework": "qi-2016"}
    page = as_persona("admin_user").post(reverse("inspection-new"), empty).content.decode()
    assert "There is a problem" in page
    assert "Enter the probation area" in page
    assert "Enter a short name for the web address" in page
    assert "This field is required" not in page


def test_the_history_names_who_created_an_inspection_on_the_page(as_persona, admin_user):
    as_persona("admin_user").post(
        reverse("inspection-new"),
        {"area_name": "Eastshire", "slug": "eastshire-2016", "framework": "qi-2016"},
    )

    created = Inspection.objects.get(slug="eastshire-2016").history.get()
    assert (created.history_type, created.history_user) == ("+", admin_user)
