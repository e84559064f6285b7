"""Settings: alembic.ini, pyproject/schemadiff.toml, environment and flags; models loading;
plugins."""
