"""Cases from Alembic's tests (autogen_composition)."""

from __future__ import annotations

from tests.alembic_cases import Registry

cases = Registry()
