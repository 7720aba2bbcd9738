"""Filters of the printed report (templates/reports/print/)."""

from django import template

from reports.charts.figures import chart_shape
from reports.document.compose import DEFAULT_HEADINGS
from reports.document.models import PartKind as Kind
from reports.export.pdf import svg_data_uri

register = template.Library()


@register.filter
def chart_image(svg: str) -> str:
    """A chart's SVG as a data: URI for an `<img>` (reports.export.pdf.svg_data_uri)."""
    return svg_data_uri(str(svg))


@register.filter
def chart_alt(figures) -> str:
    """A chart's alternative text: its SVG's title and description, the words a screen reader
    reads in place of the picture."""
    return f"{figures.heading}. {chart_shape(figures).description}"


@register.filter
def heading_shown(node, parent) -> bool:
    """Whether a part prints its heading: not when it only repeats its parent's (an appendix's
    methodology under "Appendix 3: Methodology"), nor an appendix's content under the name its
    kind takes by default (the appendix heading names it already)."""
    if not node.heading or parent is None:
        return bool(node.heading)
    if node.heading.casefold() == parent.heading.casefold():
        return False
    return not (parent.kind == Kind.APPENDIX and node.heading == DEFAULT_HEADINGS.get(node.kind))
