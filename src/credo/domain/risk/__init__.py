"""Pure rules of risk control: warning rules, provision matrices, insurance cover, write-offs."""
