"""The report's own content, written by the lead inspector and the editor from the findings."""

from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Organisation
from inspection.guards import next_version
from inspection.models import InspectionData
from judgements.findings import ALL

# ---------------------------------------------------------------------------------------------
# Enablers and barriers; recommendations (reports/tables.py reads them, reports/services.py
# writes them). Every row belongs to an inspection and is guarded like its cases and answers:
# nothing changes once the inspection is published, whoever asks.

# The framework domains the report gives a chapter, each ending its three sections with an
# enablers and barriers table: "whether: reducing reoffending, protecting the public, abiding
# by the sentence" (Appendix 1, the three outcome domains). Codes of the framework's domains.
OUTCOME_DOMAINS = ["RR", "PP", "AB"]
# A report row is a sentence or three; a recommendation about as long. Far above either, so a
# pasted chapter is refused rather than printed as a row.
ROW_TEXT_MAX_CHARS = 2_000
ADDRESSEE_MAX_CHARS = 200


class Perspective(models.TextChoices):
    """Whose work a table is about: each domain chapter has a section on the CRC, one on the
    NPS and one on the two working together (sections x.1, x.2 and x.3 of the report)."""

    CRC = "CRC", "Community Rehabilitation Company"
    NPS = "NPS", "National Probation Service"
    JOINT = "joint", "Working together"


class Column(models.TextChoices):
    ENABLER = "enabler", "Enabler"
    BARRIER = "barrier", "Barrier"


# The groups a finding is counted in (judgements.findings): one organisation or both.
FINDING_GROUPS = [*Organisation.choices, (ALL, "CRC and NPS")]


class TableRow(InspectionData):
    """One numbered entry of an enablers and barriers table: an enabler or a barrier of one
    organisation's work (or of the two working together) in one outcome domain. Its number is
    its place in its column, counted when the table is shown, so a move renumbers nothing."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="table_rows"
    )
    domain = models.CharField(max_length=10, help_text="A code of OUTCOME_DOMAINS.")
    perspective = models.CharField(max_length=5, choices=Perspective)
    column = models.CharField(max_length=7, choices=Column)
    position = models.PositiveIntegerField()
    text = models.TextField(max_length=ROW_TEXT_MAX_CHARS)
    # Bumped on every save; the services refuse an edit or a deletion from an older version.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "domain", "perspective", "column", "position", "pk"]
        indexes = [
            models.Index(
                fields=["inspection", "domain", "perspective", "column", "position"],
                name="table_row_place",
            )
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:59]}…"
        return f"{self.get_column_display()} “{text}”"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class TableRowFinding(InspectionData):
    """A finding that supports a row: a yes/no question of the inspection's framework (for one
    item of an item question), counted for the CRC, the NPS or both. The page shows its
    figure as the findings have it now, never a copy."""

    row = models.ForeignKey(TableRow, on_delete=models.CASCADE, related_name="finding_links")
    question = models.ForeignKey("judgements.Question", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        "judgements.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.CharField(max_length=3, choices=FINDING_GROUPS)
    history = HistoricalRecords()

    owner_path = "row__inspection_id"

    class Meta:
        ordering = ["row", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["row", "question", "item", "group"],
                condition=models.Q(item__isnull=False),
                name="one_link_per_row_question_item_group",
            ),
            models.UniqueConstraint(
                fields=["row", "question", "group"],
                condition=models.Q(item__isnull=True),
                name="one_link_per_row_question_group",
            ),
        ]

    def __str__(self) -> str:
        item = f"[{self.item.code}]" if self.item_id else ""
        return f"{self.question.code}{item} {self.group}"

    def owner_id(self) -> int | None:
        return self.row.inspection_id if self.row_id else None


class TableRowCase(InspectionData):
    """A case of the inspection's sample that supports a row (by its pseudonymous reference)."""

    row = models.ForeignKey(TableRow, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    owner_path = "row__inspection_id"

    class Meta:
        ordering = ["row", "case__case_ref"]
        constraints = [
            models.UniqueConstraint(fields=["row", "case"], name="one_link_per_row_case")
        ]

    def __str__(self) -> str:
        return str(self.case)

    def owner_id(self) -> int | None:
        return self.row.inspection_id if self.row_id else None


class RecommendationGroup(InspectionData):
    """The recommendations addressed to one body ("The Community Rehabilitation Company
    should:"), in the report's order of addressees."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="recommendation_groups"
    )
    addressee = models.CharField(
        max_length=ADDRESSEE_MAX_CHARS,
        help_text="Who should act, as the heading names them before “should:”.",
    )
    position = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.addressee} should:"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class Recommendation(InspectionData):
    """One recommendation. Numbered continuously across the groups, as the report prints them,
    so its number is counted when shown, never stored."""

    group = models.ForeignKey(
        RecommendationGroup, on_delete=models.CASCADE, related_name="recommendations"
    )
    position = models.PositiveIntegerField()
    text = models.TextField(max_length=ROW_TEXT_MAX_CHARS)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    owner_path = "group__inspection_id"

    class Meta:
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:59]}…"
        return f"Recommendation “{text}”"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)

    def owner_id(self) -> int | None:
        return self.group.inspection_id if self.group_id else None


class RecommendationBarrier(InspectionData):
    """A barrier (a row of one of the inspection's tables) that a recommendation answers."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="barrier_links"
    )
    barrier = models.ForeignKey(
        TableRow, on_delete=models.CASCADE, related_name="recommendation_links"
    )
    history = HistoricalRecords()

    owner_path = "recommendation__group__inspection_id"

    class Meta:
        ordering = ["recommendation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "barrier"], name="one_link_per_recommendation_barrier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} answers {self.barrier}"

    def owner_id(self) -> int | None:
        return self.recommendation.group.inspection_id if self.recommendation_id else None


# ---------------------------------------------------------------------------------------------
# Appendix 4 charts (reports/charts.py draws them, reports/chart_services.py writes them)
# ---------------------------------------------------------------------------------------------


class Chart(InspectionData):
    """One of the report's Appendix 4 charts: a title, an optional subtitle (Chart 3's is the
    question its bars answer) and an ordered list of bars. Its number is its place in the
    inspection's list, so reordering renumbers it, as the report's "Chart 1" … "Chart 4" are.

    `version` covers the chart's title, subtitle and bars: every change to any of them bumps
    it (reports.chart_services), and every form on the chart's page carries it, so two people
    editing one chart cannot silently overwrite each other.
    """

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="charts"
    )
    title = models.CharField(max_length=120)
    subtitle = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class ChartBar(InspectionData):
    """A bar of a chart: the yes and no answers to one framework question (for one item, where
    the question is asked item by item), under a short label."""

    chart = models.ForeignKey(Chart, on_delete=models.CASCADE, related_name="bars")
    # PROTECT: a framework question or item a chart shows cannot vanish from under it.
    question = models.ForeignKey(
        "judgements.Question", on_delete=models.PROTECT, related_name="chart_bars"
    )
    item = models.ForeignKey(
        "judgements.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chart_bars",
    )
    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    owner_path = "chart__inspection_id"

    class Meta:
        ordering = ["chart", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chart", "question", "item"],
                condition=models.Q(item__isnull=False),
                name="one_bar_per_chart_question_item",
            ),
            models.UniqueConstraint(
                fields=["chart", "question"],
                condition=models.Q(item__isnull=True),
                name="one_bar_per_chart_question",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def owner_id(self) -> int | None:
        return self.chart.inspection_id if self.chart_id else None


# ---------------------------------------------------------------------------------------------
# The report as a document (reports/document.py builds it, reports/document_services.py writes
# it). Its structure is data: an ordered tree of parts an editor adds, moves and removes, so a
# report of another year's shape (key facts first, protecting the public before reducing
# reoffending) needs no new template.
# ---------------------------------------------------------------------------------------------

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
