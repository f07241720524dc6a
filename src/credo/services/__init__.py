"""Use cases: each runs in the one transaction (Connection) its caller opened and writes the audit log."""
