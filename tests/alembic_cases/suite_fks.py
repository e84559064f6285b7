"""Cases from Alembic's tests (suite_fks)."""

from __future__ import annotations

from tests.alembic_cases import Registry

cases = Registry()
