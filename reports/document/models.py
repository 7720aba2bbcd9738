"""The report as a document (reports/document/compose.py builds it,
reports/document/services.py writes it).

- Its structure is data: an ordered tree of parts an editor adds, moves and removes, so a
  report of another year's shape (key facts first, protecting the public before reducing
  reoffending) needs no new template. Numbers ("5.1", "Appendix 2") are counted from the
  tree when the document is built, never stored.
- Guarded like the cases and answers: nothing changes once the inspection is published
  (inspection.models.InspectionData).
- No silent overwrite: the report and each part bump their `version` on every save, and the
  services refuse a change from an older one.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from inspection.guards import next_version
from inspection.models import InspectionData
from reports.chapters import Perspective

# A part's prose is a few paragraphs; a whole chapter pasted into one is far above this.
BODY_MAX_CHARS = 20_000
HEADING_MAX_CHARS = 200


class PartKind(models.TextChoices):
    """What a part is: the kinds of the report content contract (report_content_format.md)."""

    # Front matter
    TITLE_PAGE = "title_page", "Title page"
    COPYRIGHT = "copyright", "Copyright and licence"
    CONTENTS = "contents", "Contents"
    FOREWORD = "foreword", "Foreword"
    # Chapters 1-4
    OVERALL_JUDGEMENTS = "overall_judgements", "Overall judgements"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    SUMMARY_DOMAIN = "summary_domain", "Executive summary domain"
    SUMMARY_CELL = "summary_cell", "Executive summary cell"
    RECOMMENDATIONS = "recommendations", "Recommendations"
    LOCAL_CONTEXT = "local_context", "Local context"
    # Domain chapters
    CHAPTER = "chapter", "Domain chapter"
    SECTION = "section", "Section"
    SUBSECTION = "subsection", "Sub-heading"
    PROSE = "prose", "Prose"
    PRACTICE_EXAMPLE = "practice_example", "Practice example"
    QUOTATION = "quotation", "Quotation"
    CHART_POINTER = "chart_pointer", "Chart pointer"
    ENABLERS_BARRIERS = "enablers_barriers", "Enablers and barriers table"
    # Appendices
    APPENDIX = "appendix", "Appendix"
    FRAMEWORK_DESCRIPTION = "framework_description", "Framework description"
    BACKGROUND_TABLE = "background_table", "Background data table"
    METHODOLOGY = "methodology", "Methodology"
    CHARTS = "charts", "Charts"
    GLOSSARY = "glossary", "Glossary"
    ACKNOWLEDGEMENTS = "acknowledgements", "Acknowledgements"
    ROLE_OF_INSPECTORATE = "role_of_inspectorate", "Role of the inspectorate"


class Report(InspectionData):
    """The report's title page and copyright block: one per inspection."""

    inspection = models.OneToOneField(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="report"
    )
    series = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    title = models.CharField(max_length=HEADING_MAX_CHARS)
    byline = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    published = models.CharField(
        max_length=40, blank=True, help_text="The month and year as printed: “August 2016”."
    )
    copyright = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    licence = models.TextField(
        max_length=BODY_MAX_CHARS, blank=True, help_text="Markdown: the licence paragraph."
    )
    publisher = models.JSONField(
        default=list, blank=True, help_text="The publisher's address, one line per entry."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class ReportPart(InspectionData):
    """A part of the report: a chapter, a section, a paragraph of prose, a practice example, an
    appendix… Parts form an ordered tree (parent, position); numbers such as "5.1" or
    "Appendix 2" are counted from the tree when the document is built, never stored, so a move
    renumbers everything after it.

    Fields beyond heading and body belong to some kinds only (the contract lists which).
    Glossary terms, acknowledgement roles and a background table's columns and rows are JSON
    on the part rather than rows of their own: each is printed as one block, edited as one
    form, links to nothing else, and its history is the part's history; rows of their own
    would need their own add / move / remove services for no gain (the glossary's order is
    alphabetical, computed when printed).

    `confirmed_figures` maps each live figure the body holds ("[[PP-D8a CRC]]") to the value
    the editor last confirmed ("19 out of 31"); a part whose figures now read otherwise is
    flagged until the editor confirms it again.
    """

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="report_parts"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=PartKind)
    heading = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    body = models.TextField(max_length=BODY_MAX_CHARS, blank=True)
    # Chapters, executive summary domains and enablers and barriers tables: a code of
    # OUTCOME_DOMAINS. Sections, summary cells and tables: whose work they are about.
    domain = models.CharField(max_length=10, blank=True)
    perspective = models.CharField(max_length=5, choices=Perspective, blank=True)
    # A practice example: a good practice example (True) or a plain one; the case it is drawn
    # from, linked for the editor and the lead only (its pseudonymous reference never prints).
    good = models.BooleanField(default=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A quotation: who said it ("a responsible officer").
    attribution = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    # The foreword's signature.
    signatory = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    signatory_role = models.CharField(max_length=HEADING_MAX_CHARS, blank=True)
    signed = models.CharField(max_length=40, blank=True)
    # A chart pointer: the numbers of the Appendix 4 charts it points to.
    charts = models.JSONField(default=list, blank=True)
    # A background data table: column headings, rows of cells, and its source line.
    columns = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=300, blank=True)
    # A glossary: [[term, definition], …]. Acknowledgements: [[role, [[name, job title], …]], …].
    terms = models.JSONField(default=list, blank=True)
    roles = models.JSONField(default=list, blank=True)
    confirmed_figures = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "parent_id", "position", "pk"]
        indexes = [
            models.Index(fields=["inspection", "parent", "position"], name="report_part_place")
        ]

    def __str__(self) -> str:
        if self.heading:
            return f"{self.get_kind_display()} “{self.heading}”"
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)
