"""PostgreSQL: rules, catalog queries, reflection and type conversion."""
