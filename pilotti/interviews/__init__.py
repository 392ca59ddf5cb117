"""Interviews and focus groups, the theme codebook, coded excerpts and the quote bank (issue 26)."""
