"""``verify``: replay the chain and gate it against the models."""
