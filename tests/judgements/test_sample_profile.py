"""The sample profile: the sample's make-up beside the area's caseload, the minimum-number flags
of Appendix 3, and the form where the lead and the editor enter the caseload's shares."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import CaseloadProportion
from cases.services import caseload_proportions_save
from inspection.models import Inspection
from judgements.profile import minimum_checks, sample_profile
from tests.factories import CaseFactory

PROFILE = reverse("sample-profile", args=["northshire"])


def caseload_url(descriptor: str) -> str:
    return reverse("caseload-proportions", args=["northshire", descriptor])


def descriptors(*, women: int, men: int, ethnicity: dict[str, int]) -> dict:
    """The findings engine's descriptor tables, as far as the checks read them."""
    return {
        "gender": {"all": {"female": women, "male": men, "other": 0}},
        "ethnicity": {"all": {code: ethnicity.get(code, 0) for code in [
            "white", "mixed", "asian", "black", "other", "not_stated"
        ]}},
    }  # fmt: skip


def checks(women: int, ethnicity: dict[str, int], caseload=None):
    tables = descriptors(women=women, men=40 - women, ethnicity=ethnicity)
    return minimum_checks(tables, 40, caseload or {}, minimum_women=5, minimum_minority_ethnic=3)


# The minimum numbers


def test_a_sample_one_woman_short_of_the_minimum_is_flagged():
    women, _ = checks(4, {"black": 3, "white": 37})

    assert (women.who, women.count, women.minimum, women.met) == ("women", 4, 5, False)


def test_a_sample_holding_exactly_the_minimum_is_not_flagged():
    women, minority_ethnic = checks(5, {"mixed": 1, "asian": 1, "other": 1, "white": 37})

    assert women.met
    assert (minority_ethnic.count, minority_ethnic.met) == (3, True)


def test_white_and_not_stated_do_not_count_towards_the_minority_ethnic_minimum():
    _, minority_ethnic = checks(5, {"black": 2, "not_stated": 5, "white": 33})

    assert (minority_ethnic.count, minority_ethnic.met) == (2, False)


def test_each_check_says_the_caseloads_share_beside_the_samples():
    women, minority_ethnic = checks(
        6,
        {"black": 2, "asian": 1, "white": 37},
        caseload={("gender", "female"): Decimal("14.0"), ("ethnicity", "black"): Decimal("2.5")},
    )

    assert women.sentence == "Women are 14% of the area's caseload; 6 of 40 (15%) of the sample."
    assert minority_ethnic.sentence == (
        "People from black and minority ethnic groups are 2.5% of the area's caseload; 3 of 40 "
        "(8%) of the sample."
    )


def test_without_the_caseloads_share_a_check_gives_the_samples_alone():
    women, _ = checks(6, {"white": 40})

    assert women.sentence == "Women: 6 of 40 (15%) of the sample."


# The page


@pytest.fixture
def sample(inspection, case):
    """Northshire: four CRC cases (one of them NS-001) and two NPS, three women."""
    CaseFactory(inspection=inspection, gender="female", office="Central hub")
    CaseFactory(inspection=inspection, gender="female", ethnicity="black", office="Riverside")
    CaseFactory(inspection=inspection, organisation="NPS", gender="female", office="Riverside")
    CaseFactory(inspection=inspection, organisation="NPS", office="Riverside")
    CaseFactory(inspection=inspection, office="Central hub")
    return inspection


def table_rows(html: str, descriptor: str) -> str:
    start = html.index(f'id="profile-{descriptor}"')
    return html[start : html.index("</section>", start)]


def test_the_team_reads_the_samples_make_up_by_organisation_and_each_descriptor(sample, as_persona):
    page = as_persona("inspector").get(PROFILE).content.decode()

    gender = table_rows(page, "gender")
    assert "Female" in gender
    assert 'data-label="CRC">2 (50%)' in gender  # two of the four CRC cases
    assert 'data-label="NPS">1 (50%)' in gender
    assert 'data-label="Sample">3 (50%)' in gender
    assert 'data-label="Sample">4 (67%)' in table_rows(page, "organisation")
    offices = table_rows(page, "office")
    assert "Riverside" in offices and 'data-label="Sample">3 (50%)' in offices
    assert "Enter the area&#x27;s caseload" not in page  # an inspector reads, never enters


def test_the_caseloads_share_stands_beside_the_samples(sample, lead, as_persona):
    caseload_proportions_save(
        inspection=sample, descriptor="gender", percents={"female": Decimal("14")}, by=lead
    )

    page = as_persona("lead").get(PROFILE).content.decode()

    gender = table_rows(page, "gender")
    female = gender[gender.index("Female") :]
    assert female.index("3 (50%)") < female.index("14%") < female.index("Other")
    assert "Women are 14% of the area&#x27;s caseload; 3 of 6 (50%) of the sample." in page
    assert caseload_url("gender") in page


def test_a_sample_below_a_minimum_is_flagged_on_the_page(sample, as_persona, settings):
    settings.SAMPLE_MINIMUM_WOMEN = 4
    settings.SAMPLE_MINIMUM_MINORITY_ETHNIC = 1

    page = as_persona("inspector").get(PROFILE).content.decode()

    assert "Below the minimum: the sample has 3 women; the minimum is 4." in page
    assert "Below the minimum: the sample has 1 people" not in page


def test_a_sample_at_every_minimum_shows_no_flag(sample, as_persona, settings):
    settings.SAMPLE_MINIMUM_WOMEN = 3
    settings.SAMPLE_MINIMUM_MINORITY_ETHNIC = 1

    page = as_persona("inspector").get(PROFILE).content.decode()

    assert "Below the minimum:" not in page
    assert [check.met for check in sample_profile(sample).checks] == [True, True]


def test_the_profile_page_runs_a_constant_number_of_queries(
    sample, as_persona, django_assert_max_num_queries
):
    browser = as_persona("lead")
    browser.get(PROFILE)  # the findings are cached after this
    for number in range(10):
        CaseFactory(inspection=sample, office=f"Office {number}", ethnicity="asian")

    # The session and user, the gate, the findings counted afresh after the new cases (the
    # revision, the answers, the cases, the questions, the items), the offices, the caseload.
    with django_assert_max_num_queries(10):
        response = browser.get(PROFILE)

    assert "Office 9" in response.content.decode()


# Entering the caseload's shares


def test_the_lead_enters_the_caseload_by_gender_and_returns_to_the_profile(sample, as_persona):
    browser = as_persona("lead")
    form = browser.get(caseload_url("gender")).content.decode()
    assert "In the sample: 3 of 6 (50%)." in form

    response = browser.post(
        caseload_url("gender"), {"share_0": "85", "share_1": "14.5", "share_2": "", "signature": ""}
    )

    assert response.status_code == 302
    assert response.url == f"{PROFILE}#profile-gender"
    saved = CaseloadProportion.objects.get(inspection=sample, value="female")
    assert saved.percent == Decimal("14.5")
    assert saved.history.get().history_user.username == "lena"
    page = browser.get(response.url).content.decode()
    assert "The area&#x27;s caseload by gender saved." in page
    assert "14.5%" in table_rows(page, "gender")


def test_the_editor_enters_the_caseload_too(sample, as_persona):
    response = as_persona("editor").post(
        caseload_url("rosh_level"), {"share_0": "30", "signature": ""}
    )

    assert response.status_code == 302
    assert CaseloadProportion.objects.get(descriptor="rosh_level").value == "low"


def test_a_share_over_100_is_shown_beside_its_box(sample, as_persona):
    response = as_persona("lead").post(caseload_url("gender"), {"share_1": "140", "signature": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_share_1">Gender, Female: expected a percentage from 0 to 100' in page
    assert not CaseloadProportion.objects.exists()


def test_shares_adding_up_to_more_than_100_are_refused_above_the_form(sample, as_persona):
    response = as_persona("lead").post(
        caseload_url("gender"), {"share_0": "90", "share_1": "20", "signature": ""}
    )

    page = response.content.decode()
    assert "Gender: the shares add up to 110%" in page
    assert not CaseloadProportion.objects.exists()


def test_a_form_loaded_before_someone_elses_save_does_not_overwrite_it(sample, lead, as_persona):
    browser = as_persona("editor")
    browser.get(caseload_url("gender"))
    caseload_proportions_save(
        inspection=sample, descriptor="gender", percents={"female": Decimal("15")}, by=lead
    )

    response = browser.post(caseload_url("gender"), {"share_1": "12", "signature": ""})

    assert "Someone changed the caseload&#x27;s shares by gender" in response.content.decode()
    assert CaseloadProportion.objects.get().percent == Decimal("15")


def test_an_inspector_may_not_enter_the_caseload(sample, as_persona):
    response = as_persona("inspector").post(
        caseload_url("gender"), {"share_1": "14", "signature": ""}
    )

    assert response.status_code == 403
    assert not CaseloadProportion.objects.exists()


def test_a_descriptor_the_profile_does_not_have_is_not_found(sample, as_persona):
    assert as_persona("lead").get(caseload_url("office-manager")).status_code == 404


def test_once_published_the_lead_reads_the_profile_but_enters_nothing(sample, lead, as_persona):
    Inspection.objects.filter(pk=sample.pk).update(status="published")
    browser = as_persona("lead")

    assert browser.get(caseload_url("gender")).status_code == 403
    assert "Enter the area&#x27;s caseload" not in browser.get(PROFILE).content.decode()
