"""The revision chain: Alembic-compatible revision files, read without importing them
(:mod:`.scripts`), checked and queried as a graph (:mod:`.graph`, :mod:`.targets`), planned
(:mod:`.plan`) and run with Alembic's runtime (:mod:`.runner`, :mod:`.migrate`), plus writing new
revisions (:mod:`.revision`) and new environments (:mod:`.init`)."""
