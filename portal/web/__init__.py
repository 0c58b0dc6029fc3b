"""HTTP layer: one blueprint per audience, error pages, headers, language."""
