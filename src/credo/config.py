"""One place for configuration: environment variables CREDO_* (and a .env file if present)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CREDO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATA_DIR / 'credo.db'}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production.",
    )
    company: str = Field(default="", description="Company code used when a command names none.")
    base_currency: str = Field(default="CNY", description="Base currency of a company created by init.")
    actor: str = Field(default="", description="Who the audit log names for CLI changes (default: $USER).")
    sign_in_attempts: int = Field(default=10, ge=1, description="Sign-in attempts a client address may make per minute.")
    time_zone: str = Field(default="Asia/Shanghai", description="IANA time zone in which the pages show moments "
                           "(the audit log, locked accounts) and read the audit log's date filters; stored times stay UTC.")

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"CREDO_TIME_ZONE {name!r}: not an IANA time zone (e.g. Asia/Shanghai, UTC)") from None
        return name
