"""Export formats, registered by name and imported lazily."""
