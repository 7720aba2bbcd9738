"""Report-style proportions: (count, relevant cases) → the phrase an inspector would write.

The vocabulary and where each qualifier applies are taken from the Durham 2016 report's own
usage (every `phrase` in shared/reference/durham_figures.yaml). The rule, in order:

1. ``none`` for 0 and ``all`` when every relevant case counts.
2. ``all but one`` when one case is missing and there are at least 6 relevant cases, ``all but
   two`` when two are missing and there are at least 12 ("all but two" of 16 NPS cases; with
   fewer cases the fraction reads better: 4 of 6 is "two-thirds", not "all but two").
3. Otherwise the proportion p = count / relevant is described against the nearest of the
   report's fractions: one-tenth, one-fifth, one-quarter, one-third, two-fifths, half,
   three-fifths, two-thirds, three-quarters, four-fifths. With d = p - fraction:
   - |d| ≤ 2 percentage points: the fraction itself when the count is the nearest whole case
     to that fraction of the relevant cases, as the report counts in whole cases (27 of 40 is
     "two-thirds", since two-thirds of 40 is 26.7; 23 of 31 "three-quarters"; 13 of 16
     "four-fifths"); ``about`` the fraction when it is not ("about two-fifths" for 13 of 31,
     where 12 is the nearest whole case to 12.4). When the fraction of the relevant cases is a
     whole case and a half (half of 31), neither count beside it is the nearest: "about half";
   - d below, up to 6 points: ``just under`` a fraction below a half ("just under one-fifth"),
     ``slightly less than half``, ``almost`` a fraction from three-fifths up ("almost
     three-quarters");
   - d above, up to 6 points: ``just over`` a fraction below a half ("just over one-third"),
     ``slightly more than half``, ``over`` a fraction from three-quarters up ("over
     four-fifths"); between a half and three-quarters ``just over`` too.
   The nearest whole case only chooses between a fraction and "about" it: further off, a
   count keeps its qualifier, so that few cases do not stretch a fraction (2 of 7, 29%, is
   "just over one-quarter" though 2 is the nearest whole case to a quarter of 7).
4. Beyond 6 points from every fraction only two regions remain: above 86% (short of "all but
   one/two") is ``most``; below 4% is ``very few``.

That is the precise register of the report's chapters (`proportion_phrase`). The executive
summary and the enablers and barriers tables restate the chapters in a summary register
(`summary_phrase`): more than half and short of all is ``most`` whatever the fraction. The
Durham summary says "most" NPS offenders were involved in their plan and "in most cases"
requirements progressed, where its chapter says "three-quarters" and "all but 2 of the 16"; it
also writes "the majority", of the same 5 of 8 breach cases that an enablers table calls
"most". At or below half the summary says what the chapters say: its own words
there ("not always", "some", "often") follow which way a sentence is turned, not the count.

Guarantees (property-tested, in both registers): never "all" or "none" unless true, never
"most" (or anything above a half) of a minority, and for a fixed number of relevant cases a
larger count never gets a phrase lower on the register's scale. `phrase_rank` orders every
phrase; a fraction and "about" it share a rank, since "about two-fifths" may sit on either side
of two-fifths.
"""

from fractions import Fraction

FRACTIONS: list[tuple[Fraction, str]] = [
    (Fraction(1, 10), "one-tenth"),
    (Fraction(1, 5), "one-fifth"),
    (Fraction(1, 4), "one-quarter"),
    (Fraction(1, 3), "one-third"),
    (Fraction(2, 5), "two-fifths"),
    (Fraction(1, 2), "half"),
    (Fraction(3, 5), "three-fifths"),
    (Fraction(2, 3), "two-thirds"),
    (Fraction(3, 4), "three-quarters"),
    (Fraction(4, 5), "four-fifths"),
]
ABOUT = Fraction(2, 100)
NEAR = Fraction(6, 100)
MOST = Fraction(86, 100)


def _below(name: str, value: Fraction) -> str:
    if name == "half":
        return "slightly less than half"
    return f"almost {name}" if value >= Fraction(3, 5) else f"just under {name}"


def _above(name: str, value: Fraction) -> str:
    if name == "half":
        return "slightly more than half"
    return f"over {name}" if value >= Fraction(3, 4) else f"just over {name}"


def _nearest_whole_case(fraction: Fraction, relevant: int) -> int | None:
    """The whole number of cases nearest to `fraction` of `relevant`; None at a tie (15.5)."""
    cases = fraction * relevant
    below = cases.numerator // cases.denominator
    if cases - below == Fraction(1, 2):
        return None
    return below + 1 if cases - below > Fraction(1, 2) else below


def _scale() -> list[tuple[str, ...]]:
    """Every phrase the function can say, from least to most; phrases in a tuple rank equal."""
    scale: list[tuple[str, ...]] = [("none",), ("very few",)]
    for value, name in FRACTIONS:
        scale += [(_below(name, value),), (f"about {name}", name), (_above(name, value),)]
    return [*scale, ("most",), ("all but two",), ("all but one",), ("all",)]


def _summary_scale() -> list[tuple[str, ...]]:
    """The summary register's scale: the chapters' phrases up to half, then "most", "all"."""
    scale = _scale()
    half = next(rank for rank, tier in enumerate(scale) if "half" in tier)
    return [*scale[: half + 1], ("most",), ("all",)]


PHRASE_SCALE: list[tuple[str, ...]] = _scale()
SUMMARY_SCALE: list[tuple[str, ...]] = _summary_scale()


def _ranks(scale: list[tuple[str, ...]]) -> dict[str, int]:
    return {said: rank for rank, tier in enumerate(scale) for said in tier}


_RANKS = {False: _ranks(PHRASE_SCALE), True: _ranks(SUMMARY_SCALE)}


def phrase_rank(phrase: str, *, summary: bool = False) -> int:
    """Where a phrase sits on its register's scale from "none" to "all" (KeyError if it is not
    one of that register's phrases)."""
    return _RANKS[summary][phrase]


def proportion_phrase(count: int, relevant: int) -> str | None:
    """The report-style phrase for `count` of `relevant` cases; None when none is relevant."""
    if relevant <= 0:
        return None
    if not 0 <= count <= relevant:
        raise ValueError(f"count {count} is outside 0..{relevant}")
    if count == 0:
        return "none"
    missing = relevant - count
    if missing == 0:
        return "all"
    if missing == 1 and relevant >= 6:
        return "all but one"
    if missing == 2 and relevant >= 12:
        return "all but two"
    share = Fraction(count, relevant)
    value, name = min(FRACTIONS, key=lambda fraction: (abs(share - fraction[0]), fraction[0]))
    gap = share - value
    if abs(gap) <= ABOUT:
        return name if _nearest_whole_case(value, relevant) == count else f"about {name}"
    if abs(gap) <= NEAR:
        return _below(name, value) if gap < 0 else _above(name, value)
    return "most" if share > MOST else "very few"


def summary_phrase(count: int, relevant: int) -> str | None:
    """The phrase for `count` of `relevant` cases in the executive summary and the enablers and
    barriers tables: "most" for more than half and short of all, otherwise as the chapters."""
    phrase = proportion_phrase(count, relevant)
    if phrase in (None, "all") or 2 * count <= relevant:
        return phrase
    return "most"


def percent(count: int, relevant: int) -> int | None:
    """Whole-number percentage, rounded half up as the report prints 9 of 13 as 69%."""
    if relevant <= 0:
        return None
    return int(Fraction(100 * count, relevant) + Fraction(1, 2))
