"""Typed business errors. Services raise them; GraphQL maps them to result-union members."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    RATE_LIMITED = "RATE_LIMITED"


class HubError(Exception):
    """An expected failure with a stable code and a message fit to show a user (Chinese)."""

    code: ErrorCode = ErrorCode.VALIDATION_FAILED

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Unauthenticated(HubError):
    code = ErrorCode.UNAUTHENTICATED


class NotFound(HubError):
    """Raised alike for an unknown id and for one the viewer may not see."""

    code = ErrorCode.NOT_FOUND


class PermissionDenied(HubError):
    code = ErrorCode.PERMISSION_DENIED


class InvalidTransition(HubError):
    code = ErrorCode.INVALID_TRANSITION


class VersionConflict(HubError):
    code = ErrorCode.VERSION_CONFLICT

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message, field="version")
        self.current_version = current_version


class ValidationFailed(HubError):
    code = ErrorCode.VALIDATION_FAILED


class LimitExceeded(HubError):
    code = ErrorCode.LIMIT_EXCEEDED
