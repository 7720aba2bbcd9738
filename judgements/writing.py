"""The block every answer service writes in (`answers_writing`).

It is the inspection's write block (inspection.writing: the lock, the published refusal, one
data revision bump) with the answers' own inside it (`answer_services_writing`): answers are
created, changed and removed only inside that (judgements.models refuses any other write), and
as its outermost block ends the kept progress of every case it wrote is counted again, in the
same transaction (judgements.progress).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from inspection.writing import InspectionWrite, inspection_writing
from judgements.models import ANSWER_SERVICES_WRITING, CASES_WRITTEN
from judgements.progress import progress_keep


@contextmanager
def answers_writing(
    inspection_id: int, *, what: str = "data", published_refusal: Exception | None = None
) -> Iterator[InspectionWrite]:
    """An answer service's write to the inspection (refused as inspection_writing refuses):
    the kept progress is counted after the inspection's lock and before its revision moves on."""
    with (
        inspection_writing(inspection_id, what=what, published_refusal=published_refusal) as write,
        answer_services_writing(),
    ):
        yield write


@contextmanager
def answer_services_writing() -> Iterator[None]:
    """Within this block the answer services' writes are allowed (and only theirs use it).

    As the outermost block ends without an error, each case it wrote answers of has its kept
    progress counted again (judgements.progress.progress_keep), inside the caller's
    transaction: the services lock the inspection first, so two saves keep the count in the
    order they commit. An error leaves the count alone, as its transaction rolls back.
    """
    token = ANSWER_SERVICES_WRITING.set(True)
    outermost = CASES_WRITTEN.get() is None
    written_token = CASES_WRITTEN.set(set()) if outermost else None
    try:
        yield
        written = CASES_WRITTEN.get()
        if outermost and written:
            progress_keep(written)
    finally:
        if written_token is not None:
            CASES_WRITTEN.reset(written_token)
        ANSWER_SERVICES_WRITING.reset(token)
