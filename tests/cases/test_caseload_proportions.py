"""The area caseload's shares are written only by cases.services.caseload_proportions_save:
each refusal says which value and what was expected; every write is in the history and bumps
the inspection's data revision; a published inspection refuses them whoever asks."""

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from cases.models import CaseloadProportion
from cases.services import caseload_proportions_save, caseload_signature
from inspection.models import Inspection, PublishedError
from inspection.services import StaleWrite
from tests.factories import CaseFactory


def revision(inspection: Inspection) -> int:
    return Inspection.objects.get(pk=inspection.pk).data_revision


def shares(inspection, descriptor: str) -> dict[str, Decimal]:
    return dict(
        CaseloadProportion.objects.filter(inspection=inspection, descriptor=descriptor)
        .order_by("value")
        .values_list("value", "percent")
    )


def save(inspection, by, descriptor="gender", **percents):
    return caseload_proportions_save(
        inspection=inspection,
        descriptor=descriptor,
        percents={
            value: None if share is None else Decimal(share) for value, share in percents.items()
        },
        by=by,
    )


def refusal(inspection, by, descriptor="gender", **percents) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        save(inspection, by, descriptor, **percents)
    return refused.value


def test_the_lead_enters_the_caseloads_shares_recorded_in_the_history(inspection, lead):
    before = revision(inspection)

    save(inspection, lead, female="14", male="85.5")

    assert shares(inspection, "gender") == {"female": Decimal("14.0"), "male": Decimal("85.5")}
    women = CaseloadProportion.objects.get(inspection=inspection, value="female")
    assert [(h.history_type, h.history_user) for h in women.history.all()] == [("+", lead)]
    assert revision(inspection) == before + 1


def test_a_change_is_recorded_as_a_change_and_a_blank_removes_the_share(inspection, lead, editor):
    save(inspection, lead, female="14", male="86")

    save(inspection, editor, female="15", male=None)

    assert shares(inspection, "gender") == {"female": Decimal("15.0")}
    history = CaseloadProportion.history.filter(value="female").order_by("history_date")
    assert [(h.history_type, h.history_user, h.percent) for h in history] == [
        ("+", lead, Decimal("14.0")),
        ("~", editor, Decimal("15.0")),
    ]
    removed = CaseloadProportion.history.filter(value="male").order_by("history_date").last()
    assert (removed.history_type, removed.history_user) == ("-", editor)


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        ("101", "Gender, Female: expected a percentage from 0 to 100, not 101."),
        ("-1", "Gender, Female: expected a percentage from 0 to 100, not -1."),
        ("14.25", "Gender, Female: expected at most one decimal place, not 14.25."),
    ],
)
def test_a_share_outside_a_percentage_is_refused_naming_the_value(
    inspection, lead, share, expected
):
    refused = refusal(inspection, lead, female=share)

    assert refused.message_dict == {"female": [expected]}
    assert shares(inspection, "gender") == {}


def test_a_descriptors_shares_may_not_add_up_to_more_than_the_whole_caseload(inspection, lead):
    save(inspection, lead, female="20")

    refused = refusal(inspection, lead, male="85")

    assert refused.messages == [
        "Gender: the shares add up to 105%; the caseload's shares by gender may add up to 100% "
        "at most."
    ]
    assert shares(inspection, "gender") == {"female": Decimal("20.0")}


def test_shares_adding_up_to_exactly_the_whole_caseload_are_kept(inspection, lead):
    save(inspection, lead, female="14.5", male="85.5")

    assert sum(shares(inspection, "gender").values()) == 100


def test_a_value_the_descriptor_does_not_have_is_refused_listing_its_values(inspection, lead):
    refused = refusal(inspection, lead, women="14")

    assert refused.message_dict == {
        "women": ["Gender: “women” is not one of its values; expected one of male, female, other."]
    }


def test_a_descriptor_the_profile_does_not_have_is_refused(inspection, lead):
    refused = refusal(inspection, lead, descriptor="shoe_size", large="10")

    assert refused.message_dict["descriptor"] == [
        "“shoe_size” is not a descriptor of the sample profile; expected one of organisation, "
        "gender, ethnicity, sentence_type, office, rosh_level."
    ]


def test_the_offices_are_the_samples_own(inspection, lead):
    CaseFactory(inspection=inspection, office="Northgate hub")
    CaseFactory(inspection=inspection, office="Southgate office")

    save(inspection, lead, descriptor="office", **{"Northgate hub": "60"})
    refused = refusal(inspection, lead, descriptor="office", **{"Eastgate hub": "10"})

    assert shares(inspection, "office") == {"Northgate hub": Decimal("60.0")}
    assert refused.message_dict == {
        "Eastgate hub": [
            "Office or hub: “Eastgate hub” is not one of its values; expected one of "
            "Northgate hub, Southgate office."
        ]
    }


def test_a_published_inspection_refuses_the_shares(inspection, lead):
    save(inspection, lead, female="14")
    Inspection.objects.filter(pk=inspection.pk).update(status="published")

    with pytest.raises(PublishedError, match="published, so its caseload proportions cannot"):
        save(inspection, lead, female="15")
    with pytest.raises(PublishedError):
        CaseloadProportion.objects.filter(inspection=inspection).delete()

    assert shares(inspection, "gender") == {"female": Decimal("14.0")}


def test_a_save_from_a_page_loaded_before_someone_elses_is_refused(inspection, lead, editor):
    loaded = caseload_signature(inspection, "gender")
    save(inspection, editor, female="15")

    with pytest.raises(StaleWrite, match="Someone changed the caseload's shares by gender"):
        caseload_proportions_save(
            inspection=inspection,
            descriptor="gender",
            percents={"female": Decimal("12")},
            by=lead,
            expected_signature=loaded,
        )

    assert shares(inspection, "gender") == {"female": Decimal("15.0")}


def test_the_admin_shows_the_shares_but_writes_none(inspection, lead, admin_user):
    save(inspection, lead, female="14")
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[CaseloadProportion]
    row = CaseloadProportion.objects.get()

    assert model_admin.has_view_permission(request, row)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
