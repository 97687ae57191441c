"""Per-article extraction stages: entities, quotes, attributions and cited sources, dates,
opinion. Each is its own module; all annotations are character offsets into the clean text."""
