"""The stages of an inspection as its pages explain them: what each stage is for, what a move
from one to the next changes, and the history of the moves.

What a move changes is read from the rules themselves (the roles' capabilities, the freeze of a
published inspection, STATUS_MOVES), never written beside them, so the confirmation cannot
promise a rule the services do not hold.
"""

from dataclasses import dataclass
from datetime import datetime

from inspection.lib.moves import moves_from
from inspection.models import (
    STATUS_ORDER,
    Inspection,
    InspectionStatus,
    Role,
    status_is_read_only,
)
from inspection.permissions import ROLE_CAPABILITIES, WRITE_CAPABILITIES, Capability
from inspection.services import STATUS_MOVES, status_moves_for

S = InspectionStatus
# The stages a person moves an inspection to from its pages. Published is not one of them: the
# report's PDF page publishes (see stage_panel).
PAGE_STAGES = [status for status in STATUS_ORDER if not status_is_read_only(status)]

# What each stage is for, in the inspectorate's process. A description, not a rule: the rules
# are the capabilities and moves below.
STAGE_PURPOSES = {
    S.SETUP: "The inspection's details, team and sample are being set up.",
    S.FIELDWORK: "Inspectors read and score their cases; the lead inspector reviews and "
    "quality-assures them.",
    S.ANALYSIS: "Fieldwork is over: the lead inspector checks the findings the answers give and "
    "writes the enablers, barriers and recommendations.",
    S.DRAFTING: "The lead inspector and the editor write the report and publish it from the "
    "Report PDF page.",
    S.PUBLISHED: "The report is published: the inspection is frozen.",
}

# The writes a person notices, in the words the pages use. Capability.EDIT_REPORT is asked by
# no page (the editor writes the report through EDIT_TABLES), so it grants nothing to word.
WRITE_WORDS = {
    Capability.ANSWER: "score cases",
    Capability.REVIEW: "review and quality-assure cases",
    Capability.EDIT_TABLES: "write the report, its tables and charts",
}
ROLE_ORDER = [Role.INSPECTOR, Role.LEAD_INSPECTOR, Role.EDITOR]
# How a sentence names the holders of a role (there are several inspectors, one lead).
ROLE_HOLDERS = {Role.INSPECTOR: "inspectors"}


def _role_name(role: str) -> str:
    return ROLE_HOLDERS.get(role, f"the {Role(role).label.lower()}")


def status_label(status: str) -> str:
    return S(status).label.lower()


def writes_at(role: str, status: str) -> list[str]:
    """What a team role may change in an inspection at this status, in words (user_can's rule:
    the role's capabilities, and no write once the inspection is published)."""
    if status_is_read_only(status):
        return []
    allowed = ROLE_CAPABILITIES[role] & WRITE_CAPABILITIES
    return [words for capability, words in WRITE_WORDS.items() if capability in allowed]


def _roles_text(roles) -> str:
    names = [_role_name(role) for role in ROLE_ORDER if role in roles]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def movers_text(source: str, to: str) -> str:
    """Who may make this move, as a sentence's subject ("the lead inspector")."""
    return _roles_text(STATUS_MOVES.get((source, to), ()))


@dataclass(frozen=True)
class Writer:
    role: str
    name: str
    before: list[str]
    after: list[str]

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class MoveEffects:
    """What moving an inspection from `source` to `to` changes, for the confirmation page."""

    source: str
    to: str
    purpose: str
    writers: list[Writer]
    frozen: bool
    publishing_opens: bool
    publishing_closes: bool
    publishers: str
    back_by: str  # who may move it back; empty when no move goes back

    @property
    def writes_change(self) -> bool:
        return any(writer.changed for writer in self.writers)

    @property
    def source_label(self) -> str:
        return S(self.source).label

    @property
    def to_label(self) -> str:
        return S(self.to).label


def move_effects(source: str, to: str) -> MoveEffects:
    def publishable(status: str) -> bool:
        return S.PUBLISHED in moves_from(STATUS_MOVES, status)

    return MoveEffects(
        source=source,
        to=to,
        purpose=STAGE_PURPOSES[to],
        writers=[
            Writer(role, _role_name(role), writes_at(role, source), writes_at(role, to))
            for role in ROLE_ORDER
        ],
        frozen=status_is_read_only(to),
        publishing_opens=publishable(to) and not publishable(source),
        publishing_closes=publishable(source) and not publishable(to),
        publishers=movers_text(S.DRAFTING, S.PUBLISHED),
        back_by=movers_text(to, source),
    )


@dataclass(frozen=True)
class StageMove:
    at: datetime
    by: str
    source: str
    to: str
    reason: str


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "A command or the demo loader"
    return user.get_full_name() or user.get_username()


def stage_moves(inspection: Inspection) -> list[StageMove]:
    """Every move of the inspection from one stage to another, newest first: who made it,
    when, from and to, and the reason a correction gave. Read from the inspection's history
    (every status change goes through inspection_status_change or inspection_correction_open,
    which record who made it); one query."""
    records = inspection.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    moves = []
    previous = None
    for record in records:
        if previous is not None and record.status != previous:
            moves.append(
                StageMove(
                    at=record.history_date,
                    by=_who(record),
                    source=S(previous).label,
                    to=S(record.status).label,
                    reason=record.history_change_reason or "",
                )
            )
        previous = record.status
    return moves[::-1]


@dataclass(frozen=True)
class StageOffer:
    """A move from the stage the inspection is in: to `status`, forward or back."""

    source: str
    status: str
    label: str
    forward: bool

    @property
    def movers(self) -> str:
        return movers_text(self.source, self.status)


@dataclass(frozen=True)
class StagePanel:
    """The overview's stage panel: the stage, what it is for, the moves this person may make
    from it, who makes the others, and the history."""

    label: str
    purpose: str
    offers: list[StageOffer]
    others: list[StageOffer]  # the moves someone else makes
    may_publish: bool
    history: list[StageMove]


def is_forward(source: str, to: str) -> bool:
    return STATUS_ORDER.index(to) > STATUS_ORDER.index(source)


def stage_panel(user, inspection: Inspection) -> StagePanel:
    """Publishing is offered as a link to the report's PDF page, never as a bare stage move:
    it publishes a finished export of the report, with its checks, and freezes the inspection
    in the same step (reports.export.services.report_publish)."""
    current = inspection.status
    allowed = status_moves_for(user, inspection)
    page_moves = [to for to in moves_from(STATUS_MOVES, current) if to in PAGE_STAGES]
    return StagePanel(
        label=S(current).label,
        purpose=STAGE_PURPOSES[current],
        # Forward first: the button that carries the inspection on is the primary one.
        offers=sorted(
            (
                StageOffer(current, to, status_label(to), is_forward(current, to))
                for to in page_moves
                if to in allowed
            ),
            key=lambda offer: not offer.forward,
        ),
        others=[
            StageOffer(current, to, status_label(to), is_forward(current, to))
            for to in page_moves
            if to not in allowed
        ],
        may_publish=S.PUBLISHED in allowed,
        history=stage_moves(inspection),
    )
