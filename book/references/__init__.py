"""References: reference strings parsed, .bib files, keys, corrections, works."""
