"""Tests through the command line (in-process or as a real process), with real databases."""
