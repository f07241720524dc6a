"""What every import shares: options, results, column specs, row parsing and the error rule.

The rule: every bad row is listed as file:row:column: reason. Without --skip-bad-rows one bad
row means nothing is written (the caller's transaction is rolled back by ImportFailed); with it,
the good rows are written and the bad ones go to a rejects file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from credo.channels.files import RowError, SourceRow, write_rejects
from credo.errors import InvalidInput
from credo.services import audit


@dataclass(frozen=True)
class ImportOptions:
    date_format: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    skip_bad_rows: bool = False
    rejects_path: Path | None = None
    # Column renames for foreign exports: {"invoiceNumber": "invoice_number"}.
    columns: Mapping[str, str] = field(default_factory=dict)
    create_customers: bool = False
    # The day credo learns a credit file's entries (default: today); a row's own recorded_on wins.
    recorded_on: date | None = None
    # A new document dated in a closed period is booked on the first open day instead of refused.
    to_open_period: bool = False


@dataclass
class ImportResult:
    kind: str
    file: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejects_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    sha256: str | None = None  # of the file, so the audit log names exactly what was imported
    moved: dict[int, tuple[date, date]] = field(default_factory=dict)  # row -> (its date, the day booked on)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "file": self.file, "rows": self.rows, "inserted": self.inserted,
            "updated": self.updated, "unchanged": self.unchanged, "rejected": self.rejected,
            "errors": [str(e) for e in self.errors],
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "notes": self.notes,
        }


class ImportFailed(InvalidInput):
    """Raised with every row error when the import must write nothing."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        lines = "\n".join(str(e) for e in self.errors)
        super().__init__(f"{len(self.errors)} error(s), nothing imported:\n{lines}")


@dataclass(frozen=True)
class Field:
    """One column of an import: how to parse its text, and whether the file must have it."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False


@dataclass
class Parsed:
    """A row that parsed, its values by column name (None where the cell was empty)."""

    source: SourceRow
    values: dict[str, Any]


class RowIssues:
    """The row errors of one import, kept by row so a row is rejected once with all its reasons."""

    def __init__(self, file: str):
        self.file = file
        self.by_row: dict[int, tuple[SourceRow, list[RowError]]] = {}

    def add(self, source: SourceRow, column: str, reason: str) -> None:
        entry = self.by_row.setdefault(source.row, (source, []))
        entry[1].append(RowError(self.file, source.row, column, reason))

    def has(self, row: int) -> bool:
        return row in self.by_row

    def all(self) -> list[RowError]:
        return [e for _, (_, errs) in sorted(self.by_row.items()) for e in errs]


def check_header(file: str, header: Sequence[str], fields: Sequence[Field], either: Sequence[str] = ()) -> None:
    """Refuse a file that lacks a required column (a file-level error, row 1)."""
    missing = [f.name for f in fields if f.required and f.name not in header]
    if either and not any(name in header for name in either):
        missing.append(" or ".join(either))
    if missing:
        raise InvalidInput(
            f"{file}:1: missing column(s): {', '.join(missing)} (found: {', '.join(header) or 'none'})"
        )


def parse_rows(rows: Sequence[SourceRow], fields: Sequence[Field], issues: RowIssues) -> list[Parsed]:
    """Parse every cell; an empty optional cell is None, an empty required one an error."""
    parsed = []
    for source in rows:
        values: dict[str, Any] = {}
        for spec in fields:
            text = (source.values.get(spec.name) or "").strip()
            if not text:
                if spec.required:
                    issues.add(source, spec.name, "is empty")
                values[spec.name] = None
                continue
            try:
                values[spec.name] = spec.parse(text)
            except ValueError as error:
                issues.add(source, spec.name, str(error))
        if not issues.has(source.row):
            parsed.append(Parsed(source, values))
    return parsed


def flag_duplicates(parsed: Sequence[Parsed], key: str, issues: RowIssues) -> list[Parsed]:
    """A key may appear once per file; later rows with the same key are errors."""
    first: dict[Any, int] = {}
    kept = []
    for item in parsed:
        value = item.values[key]
        if value in first:
            issues.add(item.source, key, f"{value!r} appears already at row {first[value]}")
            continue
        first[value] = item.source.row
        kept.append(item)
    return kept


def settle_errors(
    result: ImportResult, issues: RowIssues, header: Sequence[str], options: ImportOptions, path: Path
) -> None:
    """Apply the error rule: raise (nothing written) or write the rejects file and go on."""
    errors = issues.all()
    result.errors = errors
    result.rejected = len(issues.by_row)
    if not errors:
        return
    if not options.skip_bad_rows:
        raise ImportFailed(errors)
    rejects = options.rejects_path or path.with_name(path.stem + ".rejects.csv")
    write_rejects(rejects, list(header), [entry for _, entry in sorted(issues.by_row.items())])
    result.rejects_path = rejects


def record_import(conn, company, result: ImportResult, actor: str) -> None:
    """One audit entry per import with its counts (row-level changes have their own entries)."""
    counts = {k: getattr(result, k) for k in ("rows", "inserted", "updated", "unchanged", "rejected", "sha256")}
    audit.record(conn, actor=actor, action="import", entity=result.kind, key=Path(result.file).name,
                 company_id=company.id, after=counts)


def settler(result: ImportResult, issues: RowIssues, sources: Mapping[int, SourceRow], column: str,
            header: Sequence[str], options: ImportOptions, path: Path) -> Callable[[dict[int, str]], None]:
    """What a merge calls once conflicts are known: they join the row errors (under `column`, or the
    column a conflict names as (column, reason)), then the error rule."""
    def settle(conflicts: dict[int, str | tuple[str, str]]) -> None:
        for row, reason in sorted(conflicts.items()):
            issues.add(sources[row], *(reason if isinstance(reason, tuple) else (column, reason)))
        settle_errors(result, issues, header, options, path)
    return settle


def count(result: ImportResult, outcome) -> None:
    result.inserted, result.updated, result.unchanged = outcome.inserted, outcome.updated, outcome.unchanged
