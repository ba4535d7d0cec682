"""Batch reports: a pure report model and its renderers (terminal, HTML, JSON, CSV)."""

from __future__ import annotations

from review.report.model import Report, build_report, match_reference

__all__ = ["Report", "build_report", "match_reference"]
