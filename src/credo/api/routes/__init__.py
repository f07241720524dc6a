"""API routes, one module per area; `ROUTERS` is what the app mounts under /api/v1."""
