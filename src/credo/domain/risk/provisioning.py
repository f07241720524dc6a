"""Bad-debt provisioning (坏账准备): the IFRS 9 simplified approach's provision matrix and the fixed
rate-by-age table (账龄分析法), as pure functions over rate tables and bucket balances.

A rate table is data: bands of days (past due for the matrix, since the invoice date for the
aging table), each with a loss rate as a Decimal fraction (0.003 is 0.3 %).

Roll rates (the matrix's historical loss rates): `domain/risk/roll_rates.py`.

The forward-looking adjustment multiplies every rate by a factor (1.05: 5 % worse), capped at 100 %.

Applying a table (`provide`), every figure rounded once, HALF_UP, to the currency's minor unit:
- a bucket's allowance = the bucket's balance x its rate (the collective allowance);
- a customer's part of it: the bucket's allowance shared out in proportion to the customers'
  balances by the largest-remainder method (`money.scale_parts_half_up`), so that the customers'
  parts add up to the bucket's allowance and the buckets to the collective total, to the unit;
- a customer assessed individually has a specific figure as well: a rate x the customer's balance,
  or an amount as assessed (at most the balance); the rule (`SPECIFIC_RULES`, a setting) says which
  counts: `replace` (the specific figure, always) or `higher` (the higher of the two, each after its
  insured relief);
- the insured share's relief = the chosen figure x the share (none on an assessed amount, which is
  the loss after cover already).
A customer's allowance = the chosen figure - the relief; the total = the collective allowance +
the specific adjustments (chosen - collective) - the reliefs = the sum of the customers'.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Mapping, Sequence

from credo.domain.money import ZERO, from_minor, quantize, scale_parts_half_up, to_minor
from credo.domain.risk.roll_rates import ONE, Step, loss_rates, roll_rates

METHODS = ("matrix", "aging-table")
SPECIFIC_RULES = ("replace", "higher")  # what a specific provision does to the customer's collective figure
SPECIFIC_BASES = ("specific-rate", "specific-amount")
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


def derived_matrix(table: RateTable, steps: Sequence[Step], last_rate: Decimal = ONE) -> RateTable:
    """The table's bands with the loss rates the history's roll rates give (`roll_rates`)."""
    return table.with_rates(loss_rates(roll_rates(steps), last_rate))


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
    """One customer: per bucket its balance, the table's rate and its part of the bucket's allowance
    (`allowances`, adding up to `collective`); the specific figure when assessed individually; the
    figure the rule chose (`basis`), less the insured share's relief: `allowance`."""

    customer_id: int
    balances: tuple[Decimal, ...]
    rates: tuple[Decimal, ...]
    allowances: tuple[Decimal, ...]  # the collective allowance's parts, bucket by bucket
    insured: Decimal  # the share covered
    basis: str  # matrix (or aging-table): the collective figure; specific-rate or specific-amount
    specific: Decimal | None = None  # the specific figure (rate x balance, or the amount); None: collective only
    relief: Decimal = ZERO  # the insured share of the chosen figure (none on an assessed amount)

    @property
    def balance(self) -> Decimal:
        return sum(self.balances, ZERO)

    @property
    def collective(self) -> Decimal:
        return sum(self.allowances, ZERO)

    @property
    def chosen(self) -> Decimal:
        """The figure before the insured share: the specific one or the collective one."""
        return self.collective if self.specific is None or self.basis not in SPECIFIC_BASES else self.specific

    @property
    def adjustment(self) -> Decimal:
        """What the specific provision adds to (or takes from) the collective figure."""
        return self.chosen - self.collective

    @property
    def allowance(self) -> Decimal:
        return self.chosen - self.relief


@dataclass(frozen=True)
class BucketProvision:
    """A bucket of the table: allowance = balance x rate, rounded once HALF_UP to the currency."""

    bucket: str
    low: int | None
    high: int | None
    balance: Decimal
    rate: Decimal
    allowance: Decimal


@dataclass(frozen=True)
class Provision:
    table: RateTable
    buckets: tuple[BucketProvision, ...]
    customers: tuple[CustomerProvision, ...] = field(repr=False)
    rule: str = "replace"

    @property
    def balance(self) -> Decimal:
        return sum((b.balance for b in self.buckets), ZERO)

    @property
    def collective_allowance(self) -> Decimal:
        return sum((b.allowance for b in self.buckets), ZERO)

    @property
    def specific_adjustment(self) -> Decimal:
        return sum((c.adjustment for c in self.customers), ZERO)

    @property
    def insured_relief(self) -> Decimal:
        return sum((c.relief for c in self.customers), ZERO)

    @property
    def total_allowance(self) -> Decimal:
        return self.collective_allowance + self.specific_adjustment - self.insured_relief


def provide(exposures: Sequence[Exposure], table: RateTable, currency: str, *,
            specific: Mapping[int, Specific] | None = None, insured: Mapping[int, Decimal] | None = None,
            method: str = "matrix", rule: str = "replace") -> Provision:
    """Apply a rate table to the customers' bucket balances, then the specific provisions (by the
    rule: replace or higher) and the insured shares; see the module's rules for the rounding."""
    if rule not in SPECIFIC_RULES:
        raise ValueError(f"the specific rule {rule!r}: use {' or '.join(SPECIFIC_RULES)}")
    specific, insured = specific or {}, insured or {}
    width = len(table.bands)
    exposures = sorted(exposures, key=lambda e: e.customer_id)
    for exposure in exposures:
        if len(exposure.balances) != width:
            raise ValueError(f"customer {exposure.customer_id}: {len(exposure.balances)} balances for {width} buckets")
        share = insured.get(exposure.customer_id, ZERO)
        if not (ZERO <= share <= ONE):
            raise ValueError(f"customer {exposure.customer_id}: insured share {share} is not between 0 and 1")
    minor = [[to_minor(e.balances[i], currency) for e in exposures] for i in range(width)]
    parts = [scale_parts_half_up(minor[i], *table.rates[i].as_integer_ratio()) for i in range(width)]
    buckets = tuple(BucketProvision(b.bucket, b.low, b.high, from_minor(sum(minor[i]), currency), b.rate,
                                    from_minor(sum(parts[i]), currency)) for i, b in enumerate(table.bands))
    lines = tuple(_customer(exposure, table.rates, tuple(from_minor(parts[i][k], currency) for i in range(width)),
                            currency, specific.get(exposure.customer_id), insured.get(exposure.customer_id, ZERO),
                            method, rule)
                  for k, exposure in enumerate(exposures))
    return Provision(table, buckets, lines, rule)


def _customer(exposure: Exposure, rates: tuple[Decimal, ...], allowances: tuple[Decimal, ...], currency: str,
              specific: Specific | None, share: Decimal, method: str, rule: str) -> CustomerProvision:
    line = CustomerProvision(exposure.customer_id, exposure.balances, rates, allowances, share, method,
                             relief=quantize(ZERO, currency))
    collective = replace(line, relief=_relief(line.collective, share, currency))
    if specific is None:
        return collective
    balance = line.balance
    if specific.amount is not None:
        individual = replace(line, basis="specific-amount", specific=quantize(min(specific.amount, max(balance, ZERO)),
                                                                               currency))
    else:
        figure = quantize(balance * specific.rate, currency)
        individual = replace(line, basis="specific-rate", specific=figure, relief=_relief(figure, share, currency))
    if rule == "higher" and collective.allowance > individual.allowance:
        return replace(collective, specific=individual.specific)
    return individual


def _relief(amount: Decimal, share: Decimal, currency: str) -> Decimal:
    """The insured share of an allowance, rounded once HALF_UP."""
    return quantize(amount * share, currency)
