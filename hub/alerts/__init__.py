"""Email alerts about reply deadlines: decide (scan → outbox), send (outbox → SMTP), worker.

The rules (levels, recipients, wording) are pure and live in ``hub.domain.alerts``.
"""
