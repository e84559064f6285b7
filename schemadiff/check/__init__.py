"""``check``: drift against models or a chain, with sources for each finding."""
