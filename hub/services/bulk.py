"""One step on many cases of a kind (the board's 批量操作): each case is its own step.

Each case runs through ``take_step`` in its own transaction, checked exactly as a single step
is (visibility, the actor's permission, the state and the clock). One refused case neither
stops nor rolls back the others; the answer lists each case's outcome in the order given.
Only a transition its kind marks ``bulk`` may be taken this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from hub.domain.errors import HubError, InvalidTransition, NotFound, ValidationFailed
from hub.domain.kinds import TAKE_STEP, CaseKind, FieldType, FormField, KindSpec, Transition
from hub.domain.roles import Actor
from hub.domain.visibility import audience_of
from hub.kinds.registry import spec_of
from hub.services.cases import Change, take_step
from hub.services.forms import KindSteps, take_form_step
from hub.services.text import clean_text
from hub.services.visibility import visible_cases

MAX_CASES = 200
_TEXT = frozenset({FieldType.TEXT, FieldType.TEXTAREA})


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """One case of a batch: the committed ``change``, or the ``error`` that refused it."""

    case_id: int
    change: Change | None = None
    error: HubError | None = None


def bulk_text_field(transition: Transition) -> FormField | None:
    """The form field a batch's comment fills; None for a plain step (the comment is the
    event's). A bulk step's form has no other field, so every case gets the same input."""
    if transition.form.mutation == TAKE_STEP.mutation:
        return None
    fields = transition.form.fields
    if len(fields) != 1 or fields[0].type not in _TEXT or transition.form.fixed:
        raise ValueError(f"{transition.action}: a bulk step's form may hold one text field only")
    return fields[0]


def bulk_steps(spec: KindSpec, actor: Actor | None = None) -> list[Transition]:
    """The kind's bulk steps, one per action, in table order; with ``actor``, those its role
    may take on some case (each case is still checked when the step is taken)."""
    found: dict[str, Transition] = {}
    for transition in spec.transitions:
        if not transition.bulk or transition.action in found:
            continue
        if actor is None or actor.role in transition.roles:
            found[transition.action] = transition
    return list(found.values())


def _kind_steps(kind: CaseKind) -> KindSteps:
    steps = getattr(import_module(f"hub.kinds.{kind.value}.steps"), "STEPS", None)
    if not isinstance(steps, KindSteps):
        raise LookupError(f"{kind}: no KindSteps for its form steps")
    return steps


async def take_steps(
    actor: Actor,
    kind: CaseKind,
    action: str,
    case_ids: Sequence[int],
    *,
    versions: Sequence[int] | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> list[StepOutcome]:
    """Take the bulk step ``action`` on each case; a refused request changes nothing."""
    spec = spec_of(kind)
    transition = next((t for t in bulk_steps(spec) if t.action == action), None)
    if transition is None:
        raise InvalidTransition(f"{spec.label}没有可批量办理的操作“{action}”")
    if not case_ids:
        raise ValidationFailed("请至少选择一件", field="caseIds")
    if len(case_ids) > MAX_CASES:
        raise ValidationFailed(f"一次最多办理 {MAX_CASES} 件", field="caseIds")
    if len(set(case_ids)) != len(case_ids):
        raise ValidationFailed("所选案件有重复", field="caseIds")
    if versions is not None and len(versions) != len(case_ids):
        raise ValidationFailed("versions 须与 caseIds 一一对应", field="versions")
    field = bulk_text_field(transition)
    if field is None:
        text = clean_text(comment, "comment", required=False, limit=2000)
    else:
        limit = field.max_length or 2000
        text = clean_text(comment, "comment", required=field.required, limit=limit)
    outcomes = []
    for index, case_id in enumerate(case_ids):
        version = versions[index] if versions is not None else None
        try:
            change = await _one(actor, spec, transition, field, case_id, version, text, now)
        except HubError as error:
            outcomes.append(StepOutcome(case_id, error=error))
        else:
            outcomes.append(StepOutcome(case_id, change=change))
    return outcomes


async def _one(
    actor: Actor,
    spec: KindSpec,
    transition: Transition,
    field: FormField | None,
    case_id: int,
    version: int | None,
    text: str,
    now: datetime | None,
) -> Change:
    if version is None:  # the version the board showed is not given: the case as it now is
        version = await _current_version(actor, spec, case_id)
    if field is None:
        return await take_step(
            actor, case_id, version, transition.action, kind=spec.kind, comment=text, now=now
        )
    steps = _kind_steps(spec.kind)
    raw = {field.name: text}
    return await take_form_step(steps, actor, case_id, version, transition.action, raw, now=now)


async def _current_version(actor: Actor, spec: KindSpec, case_id: int) -> int:
    rows = visible_cases(audience_of(actor)).filter(id=case_id, kind=spec.kind.value)
    case = await rows.only("id", "version").first()
    if case is None:
        raise NotFound(f"{spec.label}不存在", field="id")
    return case.version
