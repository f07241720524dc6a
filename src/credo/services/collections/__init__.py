"""Collections (催收): dunning, disputes, promises, payment plans, the worklist."""
