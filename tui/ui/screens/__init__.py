"""Modal and main screens of the annotation app."""
