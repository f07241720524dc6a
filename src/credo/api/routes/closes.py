"""Period close (结账): close a month-end (the lock date), reopen the last close, list the closes,
read a stored month-end figure and verify every one (services/closing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import Field

from credo.api.deps import CompanyDep, Db, allowed
from credo.api.params import Today
from credo.api.problems import ERRORS
from credo.api.schemas import Body
from credo.api.writes import actor_of, committed
from credo.domain.access import Permission
from credo.errors import InvalidInput
from credo.services import closing
from credo.services.users import Principal
from credo.store.period_tables import SNAPSHOT_KINDS

router = APIRouter(tags=["period close"], responses=ERRORS)
Closer = allowed(Permission.periods_close)
Reports = allowed(Permission.reports_read)


class CloseIn(Body):
    period_end: date = Field(description="The month-end to close up to (a day before today)")


class ReopenIn(Body):
    reason: str = Field(min_length=1, max_length=500, description="Why the last closed period is reopened")


@router.get("/closes", summary="Every close, the latest period first (reopened ones too)", dependencies=[Reports])
def listing(conn: Db, company: CompanyDep) -> list[dict]:
    return [c.to_json() for c in closing.list_closes(conn, company)]


@router.post("/closes", summary="Close every day up to a month-end: the lock date; its month-end figures are stored",
             status_code=201)
def close(body: CloseIn, conn: Db, company: CompanyDep, today: Today, who: Principal = Closer) -> dict:
    return committed(conn, closing.close_period(conn, company, body.period_end, actor_of(who), today).to_json())


@router.post("/closes/reopen", summary="Reopen the last closed period: the lock date goes back to the close before")
def reopen(body: ReopenIn, conn: Db, company: CompanyDep, who: Principal = Closer) -> dict:
    return committed(conn, closing.reopen_period(conn, company, actor_of(who), body.reason).to_json())


@router.get("/closes/verify", summary="Compute every stored month-end figure again and name each difference",
            dependencies=[Reports])
def verify(conn: Db, company: CompanyDep,
           as_of: Annotated[date | None, Query(description="One closed month-end (default: every one)")] = None) -> dict:
    return closing.verify_closes(conn, company, as_of).to_json()


@router.get("/closes/{as_of}/{kind}", summary="A stored month-end figure: settings, input digests, figures",
            dependencies=[Reports])
def stored(conn: Db, company: CompanyDep, as_of: Annotated[date, Path(description="A closed month-end")],
           kind: Annotated[str, Path(description=f"One of {', '.join(SNAPSHOT_KINDS)}")]) -> dict:
    if kind not in SNAPSHOT_KINDS:
        raise InvalidInput(f"kind {kind!r}: use one of {', '.join(SNAPSHOT_KINDS)}")
    [figure] = closing.stored_figures(conn, company, as_of, (kind,))
    return figure.to_json()
