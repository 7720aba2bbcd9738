"""The Django admin manages every model, for staff only, and never edits a published inspection."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case
from inspection.models import Inspection, TeamMembership
from judgements.models import Answer, Domain, Framework, Item, ItemSet, Question, Theme

MODELS = [
    Inspection,
    TeamMembership,
    Case,
    Framework,
    Domain,
    Theme,
    ItemSet,
    Item,
    Question,
    Answer,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_can_open_every_admin_list(model, case, as_persona):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert as_persona("admin_user").get(url).status_code == 200


def test_a_team_member_who_is_not_staff_cannot_open_the_admin(case, as_persona):
    response = as_persona("lead").get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_a_published_inspection_cannot_be_changed_in_the_admin(inspection, case, as_persona):
    inspection.status = "published"
    inspection.save()
    browser = as_persona("admin_user")
    url = reverse("admin:cases_case_change", args=[case.pk])
    response = browser.post(url, {"case_ref": "RENAMED", "organisation": "NPS"})
    assert response.status_code == 403  # refused outright, not merely an incomplete form
    case.refresh_from_db()
    assert case.case_ref == "NS-001"
    page = browser.get(url).content.decode()
    assert 'name="case_ref"' not in page  # shown read-only, not as an input
