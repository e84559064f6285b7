"""Cases from Alembic's tests (sqlite)."""

from __future__ import annotations

from tests.alembic_cases import Registry

cases = Registry()
