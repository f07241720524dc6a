"""Reports as of any date: aging, DSO, metrics, payment behaviour, monthly trends."""
