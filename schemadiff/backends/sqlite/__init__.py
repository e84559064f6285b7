"""SQLite: rules, DDL lexer and parser, reflection."""
