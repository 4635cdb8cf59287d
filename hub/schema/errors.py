"""Expected failures as schema types: clients switch on ``__typename`` or read ``code``."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.domain import errors as domain
from hub.security import log as security

strawberry.enum(domain.ErrorCode, description="稳定的错误代码")
ErrorCode = domain.ErrorCode


@strawberry.interface(description="可预期的失败：code 稳定，message 可直接展示给用户")
class Error:
    code: ErrorCode
    message: str
    field: str | None = strawberry.field(description="出错的输入字段（如有）")


@strawberry.type(description="对象不存在，或您无权查看（两种情况的回答完全相同）")
class NotFoundError(Error):
    pass


@strawberry.type(description="您无权执行该操作")
class PermissionDeniedError(Error):
    pass


@strawberry.type(description="当前状态不允许该操作")
class InvalidTransitionError(Error):
    pass


@strawberry.type(description="版本已过期：他人已修改该对象，请刷新后重试")
class VersionConflictError(Error):
    current_version: int


@strawberry.type(description="输入不合法")
class ValidationError(Error):
    pass


@strawberry.type(description="未登录或凭据无效")
class AuthenticationError(Error):
    pass


@strawberry.type(description="登录失败次数过多：在 unlocksAt 之前不再受理该账号或该地址的登录")
class LoginThrottledError(Error):
    unlocks_at: datetime = strawberry.field(description="可再次尝试的时刻")
    retry_after_seconds: int
    locked: bool = strawberry.field(description="true：临时锁定；false：递增的等待")


StepError = (
    NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)


def as_error_member(error: domain.HubError) -> StepError | AuthenticationError:
    code, message, field = ErrorCode(error.code), error.message, error.field
    match error:
        case domain.NotFound():
            return NotFoundError(code=code, message=message, field=field)
        case domain.PermissionDenied():
            security.record("permission.denied", message=message, field=field)
            return PermissionDeniedError(code=code, message=message, field=field)
        case domain.InvalidTransition():
            return InvalidTransitionError(code=code, message=message, field=field)
        case domain.VersionConflict():
            return VersionConflictError(
                code=code, message=message, field=field, current_version=error.current_version
            )
        case domain.Unauthenticated():
            return AuthenticationError(code=code, message=message, field=field)
        case _:
            return ValidationError(code=code, message=message, field=field)
