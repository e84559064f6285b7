"""The project the pytest plugin's tests check (shared by the fixtures and the tests)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemadiff.chain.project import Project
    from schemadiff.settings.config import Settings


@dataclass(frozen=True)
class SchemadiffProject:
    """The project under test: merged settings, the migration environment, its root folder."""

    settings: Settings
    project: Project
    root: Path

    @contextlib.contextmanager
    def here(self) -> Iterator[None]:
        """Run from the project's root (relative paths and the models' import start there)."""
        old = Path.cwd()
        os.chdir(self.root)
        try:
            yield
        finally:
            os.chdir(old)
