"""A realistic, deterministic demo ledger (`credo demo`): generated ERP files, loaded by the imports.

`generate` (pure) makes the rows; `build_demo` writes them as files and imports them.
"""

from credo.demo.build import COMPANY_NAME, DemoSummary, build_demo
from credo.demo.customers import HABITS
from credo.demo.generator import DemoData, generate

__all__ = ["COMPANY_NAME", "HABITS", "DemoData", "DemoSummary", "build_demo", "generate"]
