"""Helpers shared by the tests (one ``run_cli``, one ``Result``)."""
