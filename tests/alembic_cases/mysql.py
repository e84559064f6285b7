"""Cases from Alembic's tests (mysql)."""

from __future__ import annotations

from tests.alembic_cases import Registry

cases = Registry()
