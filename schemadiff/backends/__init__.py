"""Backend knowledge: one package per backend behind the rules and hooks of :mod:`.base`."""
