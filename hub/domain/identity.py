"""Who is signed in, as the header says it: name, role and unit, each fact once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Identity:
    """``role`` and ``unit`` are None where an earlier part already says them."""

    name: str
    role: str | None
    unit: str | None


def identity_of(name: str, role_label: str, unit_name: str) -> Identity:
    """The header's parts: a name's trailing （role） or （unit） is dropped (the part follows),
    and the role or the unit is left out when another part already contains it —
    王敏（府检联动办公室）, 府检联动办公室, 市府检联动办公室 → 王敏 · 市府检联动办公室."""
    for said in (role_label, unit_name):
        suffix = f"（{said}）"
        if said and name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    role = role_label if role_label and role_label not in name else None
    if role is not None and role in unit_name:
        role = None
    unit = unit_name if unit_name and unit_name not in name else None
    if unit is not None and role is not None and unit in role:
        unit = None
    return Identity(name, role, unit)
