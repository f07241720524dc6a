"""Small named exceptions. Adapters map them to exit codes (cli) and HTTP codes (api) in one place."""


class CredoError(Exception):
    """Base of every error a person can act on; the message is shown as it is."""


class InvalidInput(CredoError):
    """Input that cannot be accepted: a bad file, argument or value."""


class NotFound(CredoError):
    """A named record does not exist."""


class Conflict(CredoError):
    """The change clashes with what the ledger already holds (e.g. an invoice with payments)."""


class OverAllocation(Conflict):
    """An allocation would settle more than is open on the invoice or left on the payment."""


class NotSignedIn(CredoError):
    """No valid session or API token came with the request."""


class Forbidden(CredoError):
    """The user's role or portfolio does not allow this."""


class NotConfigured(CredoError):
    """A setting or a system package the work needs is missing (an SMS webhook, a CJK font)."""


class DeliveryFailed(CredoError):
    """The outside world did not take a message: the mail server or the SMS gateway refused it,
    did not answer in time, or could not be reached. `reason` names the failure in a word or two
    (refused, timeout, unreachable, auth, tls, rejected, HTTP 500 ...); `retry` says whether the
    same message sent again later may pass."""

    def __init__(self, message: str, *, reason: str, retry: bool):
        super().__init__(message)
        self.reason = reason
        self.retry = retry


class PeriodClosed(Conflict):
    """The change is dated in a closed period (on or before the company's lock date)."""
