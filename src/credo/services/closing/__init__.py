"""Period close (结账): the lock date, the month-end figures it stores, and their verification."""

from credo.services.closing.close import Closed, close_period, list_closes, reopen_period, stored_figures
from credo.services.closing.verify import Verification, verify_closes

__all__ = ["Closed", "Verification", "close_period", "list_closes", "reopen_period", "stored_figures",
           "verify_closes"]
