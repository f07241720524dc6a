"""Lookups a read-only unit of work makes once: the customer page asks for the same customer row
ten times (the 360, the credit check, the assessment, each collections section) and for the same
FX rates six times, and computes one customer's payment behaviour and receivables twice.

Inside `read_once()` the helpers below remember what they looked up, under a key that names all
it depends on; outside it they simply compute. A block must not write to the ledger: nothing
remembered is told about a change (the web page that answers after a POST opens its block after
the write). Blocks nest: an inner one shares the outer one's memory.

Some lookups hold for a whole state of the ledger, whoever asks and for whichever customer: the
company's aging ladder, credit settings, scorecard and policy, and its FX rates as of a day (each
change to them is audited). A block opened with `lasting=` (the web's per-version cache,
`services.snapshots`) keeps those across requests through `lasting()`; without one they are made
once per block like the rest.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Hashable, Iterator, TypeVar

T = TypeVar("T")
_memory: ContextVar[dict | None] = ContextVar("credo_lookups", default=None)
_MISSING = object()
_LASTING = object()  # the memory's entry for the block's lasting store, when it has one
Store = Callable[[Hashable, Callable[[], Any]], Any]


@contextmanager
def read_once(lasting: Store | None = None) -> Iterator[None]:
    """A block in which repeated lookups are made once (nested blocks share the outermost's).
    `lasting(key, compute)`: where `lasting()` lookups are kept beyond the block, under keys that
    the store ties to the ledger's state (a new audit entry, new values)."""
    if _memory.get() is not None:
        yield
        return
    token = _memory.set({} if lasting is None else {_LASTING: lasting})
    try:
        yield
    finally:
        _memory.reset(token)


def once(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same key earlier in this block (an error is not kept)."""
    memory = _memory.get()
    if memory is None:
        return compute()
    found = memory.get(key, _MISSING)
    if found is _MISSING:
        found = memory[key] = compute()
    return found


def remember(key: Hashable, value: Any) -> None:
    """Keep a figure found on the way (one customer's aging tells its receivables) for `known`."""
    memory = _memory.get()
    if memory is not None:
        memory[key] = value


def known(key: Hashable) -> Any:
    """What this block remembered under the key, or None."""
    memory = _memory.get()
    return None if memory is None else memory.get(key)


def lasting(key: Hashable, compute: Callable[[], T]) -> T:
    """A company-wide lookup that holds for a state of the ledger (settings, FX rates): from the
    block's lasting store when it has one, else as `once`. Only values nobody changes belong here:
    they are shared by every request that sees the same ledger."""
    memory = _memory.get()
    store = None if memory is None else memory.get(_LASTING)
    if store is None:
        return once(key, compute)
    return once(key, lambda: store(key, compute))


def active() -> bool:
    """Whether a `read_once` block is open (a probe made for several reads pays only inside one)."""
    return _memory.get() is not None
