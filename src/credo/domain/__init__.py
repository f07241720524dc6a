"""Pure business rules: frozen records in, values out. Imports the standard library only."""
