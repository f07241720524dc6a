"""Period close (结账): the lock date, the month-end figures it stores, and their verification."""

from credo.services.closing.close import (AlreadyClosed, Closed, NoReason, NotAMonthEnd, NotEnded, NothingToReopen,
                                          close_period, list_closes, reopen_period, stored_figures)
from credo.services.closing.summary import MonthEnd, Overview, overview
from credo.services.closing.verify import Verification, verify_closes

__all__ = ["AlreadyClosed", "Closed", "MonthEnd", "NoReason", "NotAMonthEnd", "NotEnded", "NothingToReopen", "Overview",
           "Verification", "close_period", "list_closes", "overview", "reopen_period", "stored_figures",
           "verify_closes"]
