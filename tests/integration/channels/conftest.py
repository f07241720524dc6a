"""The real servers the channel tests talk to, fresh for each test (tests/channel_servers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_servers import Certificate, Mailbox, Webhook, make_certificate, serve_webhook, smtp_server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> Certificate:
    pytest.importorskip("cryptography", reason="the cryptography package (a test extra) makes the TLS certificate")
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with serve_webhook() as hook:
        yield hook
