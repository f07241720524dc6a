"""Query parameters shared by routes: pages, as-of dates, and the Idempotency-Key header."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from credo.services.browse.paging import MAX_LIMIT, MAX_OFFSET, PageRequest


def page(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
         offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
         sort: Annotated[str | None, Query(description="Field to sort by; '-' before it for descending")] = None,
         ) -> PageRequest:
    return PageRequest(limit, offset, sort)


PageDep = Annotated[PageRequest, Depends(page)]


def as_of(request: Request,
          as_of: Annotated[date | None, Query(description="Report date (default: today)")] = None) -> date:
    return as_of or today(request)


AsOf = Annotated[date, Depends(as_of)]


def today(request: Request) -> date:
    """The business day now, in the company's time zone (credo.clock)."""
    return request.app.state.settings.today()


Today = Annotated[date, Depends(today)]

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", description=(
    "Any unique string (a UUID); the same key sent again returns the first answer and books nothing twice"))]
