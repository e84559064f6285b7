"""``schemadiff lint``: safety rules for revision scripts, read with ``ast`` (never imported).

:mod:`schemadiff.chain.calls` finds the ``op.*`` calls of ``upgrade()``, :mod:`.actions` and
:mod:`.sqlstmt` turn them (and raw SQL in ``op.execute``) into actions, the rule families
(:mod:`.destructive`, :mod:`.data`, :mod:`.locking`, :mod:`.compat`) check each action,
:mod:`.engine` runs them over a chain, :mod:`.select` picks the revisions and :mod:`.report` prints
the findings. Codes and their meaning are in :mod:`.rules` (and the README).
"""

from schemadiff.lint.engine import LintResult, lint_revisions
from schemadiff.lint.rules import RULES, Finding, Rule

__all__ = ["RULES", "Finding", "LintResult", "Rule", "lint_revisions"]
