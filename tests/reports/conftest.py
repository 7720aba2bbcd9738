"""Charts for the Northshire personas (tests/conftest.py), made through the chart services;
Northshire in drafting with a methodology to print."""

import pytest

from inspection.models import InspectionStatus
from inspection.services import inspection_status_change
from reports.charts.services import chart_bar_create, chart_create
from tests.reports.exporting import add_methodology


@pytest.fixture
def chart(inspection, lead):
    """Northshire's Chart 1, "Public protection", with two bars: all reasonable action by the
    responsible officer, and progress with the risk of harm to known victims."""
    made = chart_create(inspection=inspection, title="Public protection", by=lead)
    chart_bar_create(chart=made, question_code="PP-D8a", label="Responsible officer", by=lead)
    chart_bar_create(
        chart=made, question_code="PP-O1", item_code="known_victims", label="Known victims", by=lead
    )
    made.refresh_from_db()
    return made


@pytest.fixture
def drafting(inspection, lead, editor, case):
    """Northshire in drafting, with a methodology to print."""
    for status in [InspectionStatus.ANALYSIS, InspectionStatus.DRAFTING]:
        inspection = inspection_status_change(inspection=inspection, to_status=status, by=lead)
    add_methodology(inspection, editor)
    return inspection
