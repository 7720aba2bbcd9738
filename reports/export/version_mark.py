"""What a report PDF says of its own version: printed on its copyright page and kept in its
metadata, so a reader holding a corrected PDF knows it is one, and what it corrects.

The PDF is made before it is published, so it carries the version it will go out as: the one
after the last published. A corrected version names the reason its inspection was reopened for
(inspection.services.inspection_correction_open); a version published again without a reopening
has the last one's text and figures (the inspection was frozen), typeset again.
`report_publish` refuses a PDF whose mark is not the version it would go out as.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.dateformat import format as format_date

from inspection.models import Inspection
from inspection.services import inspection_corrections
from reports.export.models import PublishedReport


@dataclass(frozen=True)
class VersionMark:
    number: int
    dated: date
    # Why the inspection was reopened, for a version that corrects the one before.
    correction: str = ""

    @property
    def sentence(self) -> str:
        """The mark as printed: "Version 2, dated 5 March 2026. Corrected: …"."""
        if self.number == 1:
            return "Version 1."
        dated = f"Version {self.number}, dated {format_date(self.dated, 'j F Y')}."
        if self.correction:
            ended = self.correction if self.correction[-1] in ".?!" else f"{self.correction}."
            return f"{dated} Corrected: {ended}"
        return f"{dated} Typeset again, with the text and figures of version {self.number - 1}."

    @property
    def keywords(self) -> str:
        return f"Version {self.number}" + (", Corrected" if self.correction else "")


def version_mark(inspection: Inspection) -> VersionMark:
    """The mark of the version a PDF of the inspection's report made now goes out as."""
    last = PublishedReport.objects.filter(inspection=inspection).defer("pdf").first()
    today = timezone.localdate()
    if last is None:
        return VersionMark(1, today)
    reopened = next(iter(inspection_corrections(inspection)), None)
    reason = (
        reopened.history_change_reason
        if reopened and reopened.history_date > last.published_at
        else ""
    )
    return VersionMark(last.version + 1, today, reason)
