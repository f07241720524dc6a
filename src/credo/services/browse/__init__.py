"""Lists and details of the ledger's records for people and systems (pages, API): filtered,
sorted, paginated, limited to the asker's portfolio. Reports live in services/reports."""
