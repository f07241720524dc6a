"""Risk control (风险控制): early warnings, bad-debt provisioning, credit insurance, write-offs."""
