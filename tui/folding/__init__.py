"""Search folding: text compared as a reader means it, with every match mapped back to exact
code-point offsets in the stored text. Pure (imports nothing from textual, rich, sqlite or other
``tui`` packages), so the store, the UI and suggestions share one definition.

```python
from tui.folding import fold, FoldedText

fold("Quốc HỘI")                        # "quoc hoi" (store: documents.title_folded, FTS queries)
folded = FoldedText(document_text)      # fold once per document (C speed; sparse offset map)
folded_text(document_text)              # the same, cached for the last few texts
folded.find("quoc hoi")                 # [(start, end), ...] offsets into document_text
folded.original_span(fs, fe)            # folded range -> stored-text range
```
"""

from .fold import FOLD_VERSION, FoldedText, find_folded, fold, fold_char, folded_text

__all__ = ["FOLD_VERSION", "FoldedText", "find_folded", "fold", "fold_char", "folded_text"]
