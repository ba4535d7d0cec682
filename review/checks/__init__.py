"""Divergence checks: one small pure function per check, each returning findings with spans."""
