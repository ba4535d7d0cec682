"""review: English–Chinese translation-quality review."""

__version__ = "0.1.0"
