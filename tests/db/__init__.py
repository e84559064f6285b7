"""Tests of the engine against real databases: reflection, convergence, false positives."""
