"""Credit assessment (信用评估): financial statements, ratios and the Altman Z models, as pure
functions over values already read (DESIGN.md section 4); scorecards and policy build on these."""
