"""One place for configuration: environment variables CREDO_* (and a .env file if present)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from credo import clock

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CREDO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATA_DIR / 'credo.db'}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production.",
    )
    database_pool_size: int = Field(default=5, ge=1, le=100, description="PostgreSQL connections each server "
                                    "worker keeps open (credo serve; the CLI uses one).")
    database_max_overflow: int = Field(default=10, ge=0, le=100, description="Connections a worker may open "
                                       "beyond the pool under load, closed again when returned.")
    company: str = Field(default="", description="Company code used when a command names none.")
    base_currency: str = Field(default="CNY", description="Base currency of a company created by init.")
    actor: str = Field(default="", description="Who the audit log names for CLI changes (default: $USER).")
    sign_in_attempts: int = Field(default=10, ge=1, description="Sign-in attempts a client address may make per minute.")
    cookie_secure: bool = Field(default=False, description="Mark every cookie Secure (sent over HTTPS only): set it "
                                "when credo is served over HTTPS behind a reverse proxy that speaks plain HTTP to "
                                "it; without it a cookie is Secure only when the request itself came over HTTPS.")
    time_zone: str = Field(default="Asia/Shanghai", description="The company's IANA time zone: its business day "
                           "(what 'today' is for every default date), the sending window's hours, and the moments the "
                           "pages show (the audit log, locked accounts); stored times stay UTC.")
    clock: datetime | None = Field(default=None, description="Pin the business clock to this moment (ISO 8601 with "
                                   "offset, e.g. 2026-12-06T23:30+08:00) for a demo or a reproducible run; "
                                   "empty: the real time.")

    # channels: mail over SMTP, SMS over an HTTP webhook, PDF letters
    smtp_host: str = Field(default="localhost", description="Mail server that takes credo's mail.")
    smtp_port: int | None = Field(default=None, ge=1, le=65535,
                                  description="Mail server port; default 25, 587 with starttls, 465 with ssl.")
    smtp_tls: Literal["none", "starttls", "ssl"] = Field(
        default="none", description="none (a relay on the same host), starttls, or ssl (TLS from the first byte).")
    smtp_username: str = Field(default="", description="User name for SMTP AUTH; empty: no AUTH.")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="Password for SMTP AUTH.")
    smtp_from: str = Field(default="credo@localhost", description="Sender address, e.g. 应收账款 <ar@example.cn>.")
    smtp_timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for the mail server.")
    smtp_ca_file: str = Field(default="", description="PEM file of the CA to trust for the mail server's "
                              "certificate (a private relay); empty: the system's CAs.")
    sms_webhook_url: str = Field(default="", description="HTTP(S) URL that takes SMS as JSON; empty: no SMS.")
    sms_token: SecretStr = Field(default=SecretStr(""), description="Bearer token sent to the SMS webhook.")
    sms_timeout: float = Field(default=10.0, gt=0, description="Seconds to wait for the SMS webhook.")
    cjk_font: str = Field(default="", description="Font file (.ttf, .otf, .ttc) for Chinese in PDF letters; "
                          "empty: found with fontconfig (Debian: fonts-noto-cjk).")
    cjk_font_index: int | None = Field(default=None, ge=0, description="Face of a .ttc collection in "
                                       "CREDO_CJK_FONT; empty: its Simplified Chinese face, else the first.")

    # dunning: when messages may go out, and where letters are kept
    send_window: str = Field(default="08:30-18:00", description="Hours (in CREDO_TIME_ZONE) within which a "
                             "dunning run may send, e.g. 08:30-18:00; on working days only.")
    letters_dir: Path = Field(default=DEFAULT_DATA_DIR / "letters", description="Folder for the PDF letters a "
                              "dunning run writes (one folder per run date).")

    def today(self) -> date:
        """The business day now in the company's time zone (credo.clock; never the host's date)."""
        return clock.today(self.time_zone)

    def apply_clock(self) -> None:
        """Give the business clock the company's time zone, and pin it when CREDO_CLOCK says so
        (when an adapter starts: the server, a command)."""
        clock.set_zone(self.time_zone)
        if self.clock is not None:
            clock.pin(self.clock)

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or {"none": 25, "starttls": 587, "ssl": 465}[self.smtp_tls]

    @field_validator("send_window")
    @classmethod
    def _window(cls, text: str) -> str:
        from datetime import time

        try:
            start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError:
            raise ValueError(f"CREDO_SEND_WINDOW {text!r}: write HH:MM-HH:MM, e.g. 08:30-18:00") from None
        if not start < end:
            raise ValueError(f"CREDO_SEND_WINDOW {text!r}: the start must come before the end")
        return text

    @field_validator("clock", mode="before")
    @classmethod
    def _moment(cls, value):
        if value in (None, ""):
            return None
        return clock.parse_moment(value) if isinstance(value, str) else value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"CREDO_TIME_ZONE {name!r}: not an IANA time zone (e.g. Asia/Shanghai, UTC)") from None
        return name
