"""tui: read news articles side by side and annotate spans for NLP training data."""

__version__ = "0.1.0"
