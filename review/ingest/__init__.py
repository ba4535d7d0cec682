"""Readers for every input format, with format and encoding detection."""
