"""At every width from a phone to a wide desktop, every page of scoring a case lays its controls
out so that none is covered by another element (a click meant for a grid's right-hand select
must reach the select, not a sections list drawn over it) and none scrolls sideways, with every
question asked, so the item grids have every column open."""

import pytest

from judgements.scoring import scoring_sheet
from tests.browser.scoring_steps import CASE_URL
from tests.helpers import every_gate_opened

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WIDTHS = [390, 768, 1024, 1280, 1920]

# Every control a person can reach on the page, notes included (every <details> opened, as a
# person does to write one): each is scrolled into view and the element at its centre read, as
# a click there would find it. Returns what covers each control that is covered.
COVERED_CONTROLS = """() => {
  for (const details of document.querySelectorAll('details')) details.open = true;
  const controls = [...document.querySelectorAll(
    'main select, main textarea, main input:not([type=hidden]), main button'
  )].filter((control) => control.checkVisibility());
  const covered = [];
  for (const control of controls) {
    control.scrollIntoView({block: 'center', inline: 'center'});
    const box = control.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (hit !== control && !control.contains(hit)) {
      const by = hit?.closest('[id], [class]');
      covered.push(`${control.id || control.name} under ${by ? by.id || by.className : 'nothing'}`);
    }
  }
  window.scrollTo(0, 0);
  return covered;
}"""

# How far the page reaches past the window's right edge, in CSS pixels (0: no sideways scroll).
SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"


def test_no_control_is_covered_and_no_page_scrolls_sideways_at_any_width(case, inspector, sign_in):
    case = every_gate_opened(case, inspector)
    sheet = scoring_sheet(case)
    assert all(slot.is_open for section in sheet.sections for slot in section.slots)
    pages = ["details/", *(f"sections/{section.slug}/" for section in sheet.sections)]
    ivy = sign_in("ivy")

    problems = {}
    for path in pages:
        # Each page is loaded once and laid out at every width in turn: its layout is CSS alone
        # (no script measures the window), so a resize lays it out as a load at that width
        # would, at a fifth of the page loads.
        ivy.goto(f"{CASE_URL}{path}")
        for width in WIDTHS:
            ivy.set_viewport_size({"width": width, "height": 900})
            covered = ivy.evaluate(COVERED_CONTROLS)
            sideways = ivy.evaluate(SIDEWAYS)
            if covered or sideways:
                problems[f"{width}px {path}"] = {"covered": covered, "sideways": sideways}

    assert problems == {}
