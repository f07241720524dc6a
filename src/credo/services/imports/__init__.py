"""Imports of the files an ERP exports: parse every row, report every error, write in one go.

Each kind has its module; `run_import` is the one entry the adapters call.
"""

from credo.services.imports.common import ImportFailed, ImportOptions, ImportResult
from credo.services.imports.run import KINDS, check_kind, import_permission, run_import

__all__ = ["KINDS", "check_kind", "import_permission", "ImportFailed", "ImportOptions", "ImportResult", "run_import"]
