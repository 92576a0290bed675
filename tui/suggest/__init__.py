"""Suggestions that work offline (pure: no Textual, Rich or SQL; texts and tagged strings in,
suggested spans out): dates (``dates``), names already tagged (``propagate``), gazetteers and
patterns (``patterns``), optional models (``models``)."""
