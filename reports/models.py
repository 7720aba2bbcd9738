"""The report's own content, written by the lead inspector and the editor from the findings.

Each feature keeps its models in its own package: reports/tables/models.py (the enablers and
barriers tables and the recommendations), reports/charts/models.py (the Appendix 4 charts),
reports/document/models.py (the report as a document) and reports/export/models.py (the PDF
exports and the published versions); what the tables and the document share is in
reports/chapters.py. Django imports this module as the app's models module, so it imports
them all, and the names callers import from reports.models are the ones listed here. A
feature's own modules import from its package, never from here: this module imports every
feature, and the features' layers (pyproject.toml) keep tables and charts below the document.
"""

from reports.chapters import OUTCOME_DOMAINS, Perspective
from reports.charts.models import Chart, ChartBar
from reports.document.models import BODY_MAX_CHARS, HEADING_MAX_CHARS, PartKind, Report, ReportPart
from reports.export.models import ExportStatus, PublishedReport, ReportExport
from reports.tables.models import (
    ADDRESSEE_MAX_CHARS,
    ROW_TEXT_MAX_CHARS,
    Column,
    Recommendation,
    RecommendationBarrier,
    RecommendationGroup,
    TableRow,
    TableRowCase,
    TableRowFinding,
)

__all__ = [
    "ADDRESSEE_MAX_CHARS",
    "BODY_MAX_CHARS",
    "HEADING_MAX_CHARS",
    "OUTCOME_DOMAINS",
    "ROW_TEXT_MAX_CHARS",
    "Chart",
    "ChartBar",
    "Column",
    "ExportStatus",
    "PartKind",
    "Perspective",
    "PublishedReport",
    "Recommendation",
    "RecommendationBarrier",
    "RecommendationGroup",
    "Report",
    "ReportExport",
    "ReportPart",
    "TableRow",
    "TableRowCase",
    "TableRowFinding",
]
