"""SQL text to canonical form, so both sides of a comparison spell things alike."""
