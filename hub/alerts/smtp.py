"""``HUB_SMTP_URL`` and the aiosmtplib client built from it.

``smtp://[user:pass@]host[:port]`` is plain SMTP (port 25 by default), upgraded with STARTTLS
on port 587 or with ``?starttls=1``. ``smtps://…`` is implicit TLS (port 465 by default).
``start_tls`` is always passed as True or False: aiosmtplib's default (None) silently falls
back to plaintext when the server offers no STARTTLS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlparse

import aiosmtplib

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    hostname: str
    port: int
    use_tls: bool
    start_tls: bool
    timeout: float
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self.hostname,
            port=self.port,
            use_tls=self.use_tls,
            start_tls=self.start_tls,
            timeout=self.timeout,
            username=self.username,
            password=self.password,
        )

    @property
    def label(self) -> str:
        """Where mail goes, without credentials (for logs and errors)."""
        scheme = "smtps" if self.use_tls else "smtp"
        return f"{scheme}://{self.hostname}:{self.port}" + (
            "（STARTTLS）" if self.start_tls else ""
        )


def parse_smtp_url(url: str, *, timeout: float) -> SmtpTarget:
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme not in {"smtp", "smtps"}:
        raise ValueError(f"HUB_SMTP_URL must start with smtp:// or smtps://, not {scheme}://")
    if not parsed.hostname:
        raise ValueError("HUB_SMTP_URL has no host")
    use_tls = scheme == "smtps"
    port = parsed.port or (465 if use_tls else 25)
    query = {k.lower(): v[-1].strip().lower() for k, v in parse_qs(parsed.query).items()}
    starttls = query.get("starttls")
    if starttls is None:
        start_tls = not use_tls and port == 587
    elif starttls in _TRUE:
        start_tls = True
    elif starttls in _FALSE:
        start_tls = False
    else:
        raise ValueError(f"HUB_SMTP_URL: starttls must be 1 or 0, not {starttls!r}")
    if use_tls and start_tls:
        raise ValueError("HUB_SMTP_URL: smtps:// is already TLS, it takes no starttls")
    return SmtpTarget(
        hostname=parsed.hostname,
        port=port,
        use_tls=use_tls,
        start_tls=start_tls,
        timeout=timeout,
        username=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password is not None else None,
    )


def build_message(
    *,
    sender: str,
    recipient_name: str,
    recipient_email: str,
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """A UTF-8 text email; headers are encoded (RFC 2047) when the message is flattened."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=recipient_name, addr_spec=recipient_email)
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body, charset="utf-8", cte="base64")
    return message


def sender_domain(sender: str) -> str:
    """The domain of the From address, for Message-IDs."""
    _, address = parseaddr(sender)
    return address.rpartition("@")[2] or "localhost"
