"""Optional offline models as a suggestion source (``--source model``).

- **underthesea** (``pip install 'tui-annotate[vi]'``): its CRF named-entity model ships inside the
  wheel; Vietnamese texts only, paragraph by paragraph. Hugging Face downloads are switched off
  before it is imported (``HF_HUB_OFFLINE``), so nothing is fetched at run time.
- **spaCy** with an installed pipeline package that has an ``ner`` component (e.g. ``xx_ent_wiki_sm``,
  installed by you beforehand; we never call ``spacy download``).

Nothing here is imported until a model is asked for; without either, ``load()`` returns None and
every other source works as before. Entity types map to the label ``entity`` (``DATE``/``TIME`` to
``date``).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
from collections.abc import Callable, Iterable, Iterator

ModelFn = Callable[[str, str], Iterable[tuple[int, int, str]]]

ENTITY_LABEL = "entity"
DATE_LABEL = "date"
_DATE_TYPES = {"DATE", "TIME"}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def maybe_available() -> bool:
    """Cheap (no import): is underthesea or spaCy installed at all?"""
    return _installed("underthesea") or _installed("spacy")


def available() -> list[str]:
    """Names of the model back-ends that can be loaded here ("underthesea", "spacy:PIPELINE")."""
    found = []
    if _installed("underthesea"):
        found.append("underthesea")
    pipeline = _spacy_pipeline_name()
    if pipeline is not None:
        found.append(f"spacy:{pipeline}")
    return found


def _spacy_pipeline_name() -> str | None:
    """The first installed spaCy pipeline package, found through the ``spacy_models`` entry points
    every pipeline package declares (spaCy itself is not imported for this)."""
    if not _installed("spacy"):
        return None
    try:
        names = sorted(ep.name for ep in importlib.metadata.entry_points(group="spacy_models"))
    except Exception:  # unreadable metadata is the same as none
        return None
    return names[0] if names else None


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    position = 0
    for line in text.split("\n"):
        if line.strip():
            yield position, line
        position += len(line) + 1


def _align(paragraph: str, words: Iterable[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each word of a tokenizer's output in ``paragraph``, in order (a word that
    cannot be found is skipped: its offsets would be a guess)."""
    position = 0
    for word in words:
        word = word.replace("_", " ")
        found = paragraph.find(word, position)
        if found < 0:
            yield (-1, -1)
            continue
        position = found + len(word)
        yield (found, position)


def underthesea_model() -> ModelFn:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    ner = importlib.import_module("underthesea").ner

    def run(text: str, language: str) -> Iterator[tuple[int, int, str]]:
        if language not in ("vi", "und"):
            return
        for offset, paragraph in _paragraphs(text):
            rows = ner(paragraph)
            spans = list(_align(paragraph, [row[0] for row in rows]))
            current: tuple[int, int] | None = None
            for (start, end), row in zip(spans, rows):
                tag = str(row[-1])
                if start < 0:
                    current = None
                    continue
                if tag.startswith("B-") or (tag.startswith("I-") and current is None):
                    if current is not None:
                        yield offset + current[0], offset + current[1], ENTITY_LABEL
                    current = (start, end)
                elif tag.startswith("I-") and current is not None:
                    current = (current[0], end)
                else:
                    if current is not None:
                        yield offset + current[0], offset + current[1], ENTITY_LABEL
                    current = None
            if current is not None:
                yield offset + current[0], offset + current[1], ENTITY_LABEL

    return run


def spacy_model(pipeline: str) -> ModelFn:
    import spacy

    nlp = spacy.load(pipeline)

    def run(text: str, language: str) -> Iterator[tuple[int, int, str]]:
        for offset, paragraph in _paragraphs(text):
            for ent in nlp(paragraph).ents:
                label = DATE_LABEL if ent.label_ in _DATE_TYPES else ENTITY_LABEL
                yield offset + ent.start_char, offset + ent.end_char, label

    return run


def load() -> ModelFn | None:
    """The first model that can run here, or None (no model installed: the source gives nothing)."""
    for name in available():
        try:
            if name == "underthesea":
                return underthesea_model()
            if name.startswith("spacy:"):
                return spacy_model(name.split(":", 1)[1])
        except Exception:  # an unusable model is reported by `tui suggest` as "no model"
            continue
    return None
