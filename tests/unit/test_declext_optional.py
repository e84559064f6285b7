"""sqlalchemy-declarative-extensions stays optional: schemadiff imports and compares without it,
and never imports it itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_library_is_optional() -> None:
    """Without the library, schemadiff imports and compares (and it never imports it itself)."""
    code = (
        "import sys\n"
        "sys.modules['sqlalchemy_declarative_extensions'] = None  # not installed\n"
        "import sqlalchemy as sa\n"
        "from sqlalchemy.dialects import sqlite\n"
        "import schemadiff.objects, schemadiff.cli.app\n"
        "from schemadiff.objects.declarative_extensions import attach_declarative_extensions\n"
        "from schemadiff.sources.metadata import inspect_metadata\n"
        "md = sa.MetaData()\n"
        "sa.Table('t', md, sa.Column('id', sa.Integer, primary_key=True))\n"
        "md.info['views'] = ['not the library']\n"
        "attach_declarative_extensions(md)\n"
        "print(len(inspect_metadata(md, sqlite.dialect()).tables))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    code = (
        "import sys, sqlalchemy as sa\n"
        "from sqlalchemy.dialects import postgresql\n"
        "from schemadiff.sources.metadata import inspect_metadata\n"
        "md = sa.MetaData()\n"
        "sa.Table('t', md, sa.Column('id', sa.Integer, primary_key=True))\n"
        "inspect_metadata(md, postgresql.dialect())\n"
        "print('sqlalchemy_declarative_extensions' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "False", done.stderr
