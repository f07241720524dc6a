"""Bad-debt provisioning (坏账准备): the IFRS 9 simplified approach's provision matrix and the fixed
rate-by-age table (账龄分析法), as pure functions over rate tables and bucket balances.

A rate table is data: bands of days (past due for the matrix, since the invoice date for the
aging table), each with a loss rate as a Decimal fraction (0.003 is 0.3 %).

Roll rates (the matrix's historical loss rates). Given month-end snapshots B[t][i] of the balance
in bucket i at month end t (oldest first), the roll rate from bucket i to bucket i+1 is the share
of bucket i's balance that is still unpaid one month later, one bucket older:

    r_i = sum over t of B[t+1][i+1]  /  sum over t of B[t][i]        (t over the look-back's months)

that is, the month-by-month ratios B[t+1][i+1] / B[t][i] averaged with the balances B[t][i] as
weights (a month with little in bucket i counts little, an empty one not at all), capped at 1.
The loss rate of bucket i is the product of the roll rates from it to the last bucket, times the
last (loss, write-off) bucket's own rate (100 % unless configured):

    loss_i = r_i x r_(i+1) x ... x r_(n-2) x loss_last

A bucket never held anything over the look-back rolls nothing (r_i = 0). Rolls mean "one more month
unpaid" when the buckets are a month wide (30 days): the default ladder is made so.

The forward-looking adjustment multiplies every rate by a factor (1.05: 5 % worse), capped at 100 %.

Applying a table: allowance = balance x rate x (1 - insured share), per customer and bucket, rounded
to the currency's minor unit HALF_UP (`money.quantize`); a customer's, a bucket's and the total
allowance are sums of those rounded lines. A specific provision for a customer overrides the matrix:
a rate replaces every bucket's rate for that customer (the insured share still reduces it); an
amount is the customer's allowance as assessed (at most the balance, not reduced again by the
insured share), placed on the customer's oldest buckets first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Sequence

from credo.domain.money import ZERO, quantize

ONE = Decimal(1)
RATE_PLACES = 6  # a derived rate is kept to 0.0001 %, HALF_UP: the rate shown is the rate applied
METHODS = ("matrix", "aging-table")
BASES = {"matrix": "due", "aging-table": "invoice"}  # the matrix ages by days past due, the table by invoice date


@dataclass(frozen=True)
class Band:
    """One line of a rate table: inclusive day bounds (None: open-ended) and the loss rate."""

    bucket: str
    low: int | None
    high: int | None
    rate: Decimal

    def to_json(self) -> dict:
        return {"bucket": self.bucket, "low": self.low, "high": self.high, "rate": str(self.rate)}


@dataclass(frozen=True)
class RateTable:
    """Bands in increasing days, contiguous, the first open below and the last open above."""

    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        check_bands(self.bands)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(b.bucket for b in self.bands)

    @property
    def rates(self) -> tuple[Decimal, ...]:
        return tuple(b.rate for b in self.bands)

    def with_rates(self, rates: Sequence[Decimal]) -> "RateTable":
        return RateTable(tuple(Band(b.bucket, b.low, b.high, r) for b, r in zip(self.bands, rates, strict=True)))

    def adjusted(self, factor: Decimal) -> "RateTable":
        """Every rate times the forward-looking factor, capped at 100 %."""
        return self.with_rates([forward_adjusted(r, factor) for r in self.rates])

    def start_dates(self, as_of: date) -> list[tuple[str, date | None]]:
        """For each band, the earliest (due or invoice) date in it as of a date; None: no bound
        (the shape `store.queries.bucket_sums` takes)."""
        return [(b.bucket, None if b.high is None else as_of - timedelta(days=b.high)) for b in self.bands]

    def to_json(self) -> list[dict]:
        return [b.to_json() for b in self.bands]

    @classmethod
    def from_json(cls, rows: Sequence[Mapping]) -> "RateTable":
        return cls(tuple(Band(str(r["bucket"]), r.get("low"), r.get("high"), Decimal(str(r["rate"]))) for r in rows))


def check_bands(bands: Sequence[Band]) -> None:
    """Raise ValueError unless the bands cover every day once, in order, with rates in [0, 1]."""
    if not bands:
        raise ValueError("a rate table needs at least one bucket")
    if bands[0].low is not None and bands[0].low > 0:
        raise ValueError(f"the first bucket {bands[0].bucket!r} must start at 0 days or be open below")
    if bands[-1].high is not None:
        raise ValueError(f"the last bucket {bands[-1].bucket!r} must be open above (no upper bound)")
    seen = set()
    for index, band in enumerate(bands):
        if band.bucket in seen:
            raise ValueError(f"bucket {band.bucket!r} comes twice")
        seen.add(band.bucket)
        if not (ZERO <= band.rate <= ONE):
            raise ValueError(f"bucket {band.bucket!r}: rate {band.rate} is not between 0 and 100 %")
        if band.low is not None and band.high is not None and band.high < band.low:
            raise ValueError(f"bucket {band.bucket!r}: {band.high} days is below {band.low}")
        if index and (bands[index - 1].high is None or band.low != bands[index - 1].high + 1):
            raise ValueError(f"bucket {band.bucket!r} must start the day after {bands[index - 1].bucket!r} ends")
        if index and index < len(bands) - 1 and band.high is None:
            raise ValueError(f"bucket {band.bucket!r} needs an upper bound: only the last is open")


def ladder(limits: Sequence[int], rates: Sequence[Decimal] | None = None) -> RateTable:
    """A days-past-due table from upper bounds (30, 60, 90 -> not_due, 1-30, 31-60, 61-90, >90)."""
    bands, low = [("not_due", None, 0)], 1
    for limit in limits:
        bands.append((f"{low}-{limit}", low, limit))
        low = limit + 1
    bands.append((f">{low - 1}", low, None))
    rates = rates if rates is not None else [ZERO] * len(bands)
    return RateTable(tuple(Band(label, lo, hi, r) for (label, lo, hi), r in zip(bands, rates, strict=True)))


def _years(label: str, low: int, high: int | None, rate: str) -> Band:
    return Band(label, low, high, Decimal(rate))


# 账龄分析法: a common policy (years of 365 days since the invoice date); the company's own is data too.
DEFAULT_AGING_TABLE = RateTable((
    _years("1年以内", 0, 365, "0.05"),
    _years("1-2年", 366, 730, "0.10"),
    _years("2-3年", 731, 1095, "0.30"),
    _years("3-4年", 1096, 1460, "0.50"),
    _years("4-5年", 1461, 1825, "0.80"),
    _years("5年以上", 1826, None, "1"),
))
DEFAULT_MATRIX_LIMITS = (30, 60, 90, 120, 150, 180)  # a month wide, so a roll is one month unpaid


def forward_adjusted(rate: Decimal, factor: Decimal) -> Decimal:
    if factor < 0:
        raise ValueError(f"the forward-looking factor {factor} cannot be negative")
    return min(rate * factor, ONE)


def roll_rates(history: Sequence[Sequence[Decimal]]) -> tuple[Decimal, ...]:
    """The roll rate from each bucket to the next (one fewer than the buckets), balance-weighted
    over the months of the history (month-end snapshots, oldest first; see the module's formula)."""
    if len(history) < 2:
        raise ValueError("roll rates need at least two month-end snapshots")
    width = len(history[0])
    if any(len(snapshot) != width for snapshot in history):
        raise ValueError("every snapshot needs a balance for each bucket")
    rates = []
    for i in range(width - 1):
        rolled = sum((history[t + 1][i + 1] for t in range(len(history) - 1)), ZERO)
        held = sum((history[t][i] for t in range(len(history) - 1)), ZERO)
        rates.append(min(rolled / held, ONE) if held > 0 else ZERO)
    return tuple(rates)


def loss_rates(rolls: Sequence[Decimal], last_rate: Decimal = ONE) -> tuple[Decimal, ...]:
    """Each bucket's loss rate: the product of the roll rates from it to the last bucket, times the
    last bucket's rate; rounded to RATE_PLACES decimals HALF_UP."""
    rates = [last_rate]
    for roll in reversed(rolls):
        rates.append(roll * rates[-1])
    unit = Decimal(1).scaleb(-RATE_PLACES)
    return tuple(r.quantize(unit, rounding=ROUND_HALF_UP) for r in reversed(rates))


def derived_matrix(table: RateTable, history: Sequence[Sequence[Decimal]], last_rate: Decimal = ONE) -> RateTable:
    """The table's bands with the loss rates the history's roll rates give."""
    return table.with_rates(loss_rates(roll_rates(history), last_rate))


@dataclass(frozen=True)
class Specific:
    """A named customer's specific provision: a rate (fraction) or an amount (the report currency)."""

    rate: Decimal | None = None
    amount: Decimal | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if (self.rate is None) == (self.amount is None):
            raise ValueError("a specific provision is a rate or an amount, not both or neither")
        if self.rate is not None and not (ZERO <= self.rate <= ONE):
            raise ValueError(f"a specific rate {self.rate} is not between 0 and 100 %")
        if self.amount is not None and self.amount < 0:
            raise ValueError(f"a specific amount {self.amount} cannot be negative")


@dataclass(frozen=True)
class Exposure:
    """One customer's open balance per bucket of the table, in the report currency."""

    customer_id: int
    balances: tuple[Decimal, ...]


@dataclass(frozen=True)
class CustomerProvision:
    customer_id: int
    balances: tuple[Decimal, ...]
    rates: tuple[Decimal, ...]
    allowances: tuple[Decimal, ...]
    insured: Decimal
    basis: str  # matrix (or aging-table), specific-rate, specific-amount

    @property
    def balance(self) -> Decimal:
        return sum(self.balances, ZERO)

    @property
    def allowance(self) -> Decimal:
        return sum(self.allowances, ZERO)


@dataclass(frozen=True)
class BucketProvision:
    bucket: str
    low: int | None
    high: int | None
    balance: Decimal
    rate: Decimal  # the table's rate (customers with a specific provision or cover differ)
    allowance: Decimal


@dataclass(frozen=True)
class Provision:
    table: RateTable
    buckets: tuple[BucketProvision, ...]
    customers: tuple[CustomerProvision, ...] = field(repr=False)

    @property
    def balance(self) -> Decimal:
        return sum((b.balance for b in self.buckets), ZERO)

    @property
    def total_allowance(self) -> Decimal:
        return sum((b.allowance for b in self.buckets), ZERO)


def provide(exposures: Sequence[Exposure], table: RateTable, currency: str, *,
            specific: Mapping[int, Specific] | None = None, insured: Mapping[int, Decimal] | None = None,
            method: str = "matrix") -> Provision:
    """Apply a rate table to each customer's bucket balances (specific provisions and insured
    shares per customer id); see the module's rules for rounding and overrides."""
    specific, insured = specific or {}, insured or {}
    width = len(table.bands)
    lines = []
    for exposure in exposures:
        if len(exposure.balances) != width:
            raise ValueError(f"customer {exposure.customer_id}: {len(exposure.balances)} balances for {width} buckets")
        share = insured.get(exposure.customer_id, ZERO)
        if not (ZERO <= share <= ONE):
            raise ValueError(f"customer {exposure.customer_id}: insured share {share} is not between 0 and 1")
        lines.append(_customer(exposure, table.rates, currency, specific.get(exposure.customer_id), share, method))
    totals = [ZERO] * width
    allowed = [ZERO] * width
    for line in lines:
        for i in range(width):
            totals[i] += line.balances[i]
            allowed[i] += line.allowances[i]
    buckets = tuple(BucketProvision(b.bucket, b.low, b.high, quantize(totals[i], currency), b.rate,
                                    quantize(allowed[i], currency)) for i, b in enumerate(table.bands))
    return Provision(table, buckets, tuple(lines))


def _customer(exposure: Exposure, rates: tuple[Decimal, ...], currency: str, specific: Specific | None,
              share: Decimal, method: str) -> CustomerProvision:
    balances = exposure.balances
    if specific is not None and specific.amount is not None:
        return CustomerProvision(exposure.customer_id, balances, rates, _oldest_first(balances, specific.amount, currency),
                                 share, "specific-amount")
    basis = method
    if specific is not None:
        rates, basis = (specific.rate,) * len(balances), "specific-rate"
    kept = ONE - share
    allowances = tuple(quantize(balance * rate * kept, currency) if balance else ZERO
                       for balance, rate in zip(balances, rates))
    return CustomerProvision(exposure.customer_id, balances, rates, allowances, share, basis)


def _oldest_first(balances: tuple[Decimal, ...], amount: Decimal, currency: str) -> tuple[Decimal, ...]:
    """An amount spread over the buckets from the oldest, each at most its balance."""
    left = quantize(min(amount, max(sum(balances, ZERO), ZERO)), currency)
    out = [ZERO] * len(balances)
    for i in reversed(range(len(balances))):
        take = min(max(balances[i], ZERO), left)
        out[i], left = take, left - take
    return tuple(out)
