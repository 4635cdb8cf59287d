"""``HUB_SMTP_URL`` and the aiosmtplib client built from it.

``smtp://[user:pass@]host[:port]`` is plain SMTP (port 25 by default), upgraded with STARTTLS
on port 587 or with ``?starttls=1``. ``smtps://…`` is implicit TLS (port 465 by default).
``start_tls`` is always passed as True or False: aiosmtplib's default (None) silently falls
back to plaintext when the server offers no STARTTLS.
"""

from __future__ import annotations

import re
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


class MalformedEmail(ValueError):
    """A row that cannot become an email: no value of it is sent (its reason is kept)."""


# Line breaks of every kind, other controls, and the invisible bidirectional and separator
# characters: none may reach a header, where a line break would end it (or start another).
_NOT_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]+")
_ATOMS = r"[^@\s<>()\[\],;:\\\"\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+"
_ADDRESS = re.compile(f"{_ATOMS}@{_ATOMS}")


def one_line(value: str, limit: int | None = None) -> str:
    """``value`` as one header line: any run of line breaks and control characters becomes
    one space; a lone surrogate becomes ``?``; ``=?``, which would start an RFC 2047 encoded
    word that mail programs decode into other text, becomes ``= ?``; at most ``limit``
    characters."""
    value = value.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(value) else value
    text = " ".join(_NOT_IN_HEADER.sub(" ", value).split()).replace("=?", "= ?")
    return text[:limit] if limit is not None else text


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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
    """A UTF-8 text email; headers are encoded (RFC 2047) when the message is flattened.

    Every header value is made one line first (``one_line``), so no value can end a header
    or add one; an address that is not one ``local@domain`` raises ``MalformedEmail``.
    """
    address = recipient_email.strip()
    if not _ADDRESS.fullmatch(address):
        raise MalformedEmail(f"收件地址无效：{one_line(address, 80)!r}")
    message = EmailMessage()
    try:
        message["From"] = sender
        message["To"] = Address(display_name=one_line(recipient_name, 64), addr_spec=address)
        message["Subject"] = one_line(subject, 255)
        message["Date"] = format_datetime(date)
        message["Message-ID"] = one_line(message_id)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(_clean_body(body), charset="utf-8", cte="base64")
    except (ValueError, IndexError, TypeError) as exc:  # email's header parser on odd input
        raise MalformedEmail(f"{exc.__class__.__name__}: {exc}") from exc
    return message


def _clean_body(body: str) -> str:
    if _has_surrogate(body):
        body = body.encode("utf-8", "replace").decode("utf-8")
    return body.replace("\x00", "")


def sender_domain(sender: str) -> str:
    """The domain of the From address, for Message-IDs."""
    _, address = parseaddr(sender)
    return address.rpartition("@")[2] or "localhost"
