"""The command line (typer and rich live only here)."""
