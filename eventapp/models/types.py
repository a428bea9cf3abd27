"""Column type helpers shared by the models."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the member values, checked by a constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(str(m.value)) for m in enum_class),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
