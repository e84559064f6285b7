"""Reports for people and CI: text, JSON, markdown, GitHub annotations."""
