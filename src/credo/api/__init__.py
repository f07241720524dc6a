"""The REST API (FastAPI) under /api/v1: thin adapters over the services. `create_app(settings)`."""

from credo.api.app import create_app

__all__ = ["create_app"]
