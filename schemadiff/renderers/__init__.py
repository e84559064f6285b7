"""Renderers: pure functions from a DiffResult to text (rich), JSON, and later SQL and scripts."""
