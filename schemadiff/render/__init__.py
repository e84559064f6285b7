"""Migration code: ops to Alembic ``op.*`` calls, script files and offline SQL."""
