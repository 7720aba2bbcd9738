"""The tables and recommendations in the admin: there for support with their history, and
read-only, since only their pages' services keep their order, links and versions true."""

import pytest
from django.urls import reverse

from reports.models import Recommendation, RecommendationGroup, TableRow
from reports.tables.services import recommendation_add, recommendation_group_add, table_row_add

MODELS = [TableRow, RecommendationGroup, Recommendation]


@pytest.fixture
def content(inspection, lead):
    row = table_row_add(
        inspection=inspection,
        domain="PP",
        perspective="CRC",
        column="barrier",
        text="A barrier",
        by=lead,
    )
    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=lead)
    return {
        TableRow: row,
        RecommendationGroup: group,
        Recommendation: recommendation_add(group=group, text="act", by=lead),
    }


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_read_each_record_and_its_history_but_change_nothing(model, content, as_persona):
    staff = as_persona("admin_user")
    record = content[model]

    assert staff.get(admin_url(model, "changelist")).status_code == 200
    assert staff.get(admin_url(model, "history", record.pk)).status_code == 200
    page = staff.get(admin_url(model, "change", record.pk)).content.decode()
    assert 'name="text"' not in page and 'name="addressee"' not in page
    assert staff.get(admin_url(model, "add")).status_code == 403
    assert staff.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()
