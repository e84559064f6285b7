"""Which server offline SQL for the MySQL family is written for: MariaDB or MySQL.

The two differ in what our scripts compile to: a check constraint is dropped with ``DROP
CONSTRAINT`` on MariaDB and ``DROP CHECK`` on MySQL (neither takes the other's), and
``sa.Uuid()`` is MariaDB's native ``UUID`` (10.7+) but ``CHAR(32)`` on MySQL. SQLAlchemy decides
these from its dialect (MariaDB or not, and the server version), which offline SQL otherwise
builds from the URL alone, where ``mysql+pymysql://`` means MySQL 8 whatever server answers.

The rule, first match wins: the ``mysql_flavour`` setting (``"mariadb"`` or ``"mysql"``), a
``mariadb+...://`` URL, the server's own version (reflected by ``diff``, read with one
``SELECT VERSION()`` by ``upgrade --sql`` when the server answers), else MySQL 8. The output
starts with ``-- target: ...`` naming the choice and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect

#: the values of the ``mysql_flavour`` setting
FLAVOURS = ("mariadb", "mysql")
#: what a MySQL server is taken to be when nothing says which version
_MYSQL_DEFAULT = (8, 0)
#: MariaDB's native UUID type, INSERT ... RETURNING
_MARIADB_UUID = (10, 7)
_MARIADB_RETURNING = (10, 5)


@dataclass(frozen=True)
class Flavour:
    """The server offline SQL is written for: MariaDB or MySQL, its version if known, and why."""

    mariadb: bool
    version: tuple[int, ...] | None
    why: str

    @property
    def label(self) -> str:
        name = "MariaDB" if self.mariadb else "MySQL"
        version = self.version or (() if self.mariadb else _MYSQL_DEFAULT[:1])
        return " ".join([name, ".".join(map(str, version))]) if version else name

    @property
    def header(self) -> str:
        return f"-- target: {self.label} ({self.why})"

    def dialect(self) -> Dialect:
        """A SQLAlchemy dialect that compiles as this server would want (no driver needed)."""
        from sqlalchemy.dialects.mysql.base import MySQLDialect
        from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect

        cls = MariaDBDialect if self.mariadb else MySQLDialect
        dialect = cls(paramstyle="named")
        if self.mariadb:
            version = self.version or (99,)  # unknown: a current MariaDB
            dialect.server_version_info = version
            # what a connection to that version sets (SQLAlchemy's MariaDB initialization)
            dialect.supports_native_uuid = version >= _MARIADB_UUID
            dialect.insert_returning = version >= _MARIADB_RETURNING
            dialect.delete_returning = version >= (10, 0, 5)
        else:
            dialect.server_version_info = self.version or _MYSQL_DEFAULT
        return dialect


def choose_flavour(
    setting: str | None,
    backend: str | None,
    known: str | None,
    probe: Callable[[], str | None],
) -> Flavour:
    """The flavour for offline SQL (see the module docstring); ``backend`` is the URL's
    (``mariadb`` for a ``mariadb+...://`` URL), ``known`` the server's ``VERSION()`` text when
    it is known already (reflected), ``probe`` asks the server for it (None when it cannot),
    called only when nothing else decides. A known version of the chosen flavour is used."""
    if setting is not None or backend == "mariadb":
        mariadb = setting == "mariadb" if setting is not None else True
        why = f'mysql_flavour = "{setting}"' if setting is not None else "a mariadb+ URL"
        same = known is not None and parse_version(known)[0] == mariadb
        return Flavour(mariadb, parse_version(known)[1] if same and known else None, why)
    text = known or probe()
    if text:
        mariadb, version = parse_version(text)
        return Flavour(mariadb, version, "the server's version")
    return Flavour(
        False,
        None,
        'assumed: no server answered; for MariaDB set mysql_flavour = "mariadb" or use a '
        "mariadb+pymysql:// URL",
    )


def parse_version(text: str) -> tuple[bool, tuple[int, ...]]:
    """``10.11.6-MariaDB-0+deb12u1`` -> (True, (10, 11, 6)); ``8.0.36`` -> (False, (8, 0, 36))."""
    numbers = tuple(int(n) for n in re.findall(r"\d+", text.split("-")[0])[:3])
    return "mariadb" in text.lower(), numbers
