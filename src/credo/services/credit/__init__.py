"""Credit assessment services: the statistical scorecard (trained on labelled records), and later
the credit file, assessments, limits and checks."""
