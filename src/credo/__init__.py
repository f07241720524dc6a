"""credo: credit and collections for companies that sell on payment terms."""

__version__ = "0.1.0"
