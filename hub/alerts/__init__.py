"""Email alerts about every kind's deadlines: decide (scan → outbox), send (outbox → SMTP), worker.

The rules (levels, recipients, wording) are pure and live in ``hub.domain.alerts``; each
kind's clocks declare theirs as an ``AlertPolicy`` (``hub.domain.kinds``).
"""
