"""The Textual review UI (a thin shell over review.session)."""
