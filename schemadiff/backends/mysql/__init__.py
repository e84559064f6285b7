"""MySQL and MariaDB: rules, catalog queries, reflection and type conversion."""
