"""Small text helpers the store needs (no dependency on tui.formats or tui.layout; folding comes
from the pure tui.folding)."""

from __future__ import annotations

import json
from tui.folding import fold


def fold_for_search(text: str) -> str:
    """Casefolded text without diacritics, Arabic-script variants unified, so "viet nam" finds
    "Việt Nam" and "اوكرانيا" finds "أوكرانيا": tui.folding.fold, the one folding the store
    (documents.title_folded, queries) and the in-article search share."""
    return fold(text)


def text_sha256(text: str) -> str:
    try:
        data = text.encode("utf-8")  # the strict codec is the fast one
    except UnicodeEncodeError:  # lone surrogates (importers refuse them; never raise here)
        data = text.encode("utf-8", "surrogatepass")
    import hashlib  # OpenSSL's library: loaded by the first import or document id, not by every start

    return hashlib.sha256(data).hexdigest()


def text_sha256_strict(text: str) -> str:
    """text_sha256 for text that must be valid Unicode: UnicodeEncodeError on a lone surrogate."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id_for(text: str) -> str:
    """Stable id derived from content: re-importing the same text finds the same document."""
    return text_sha256(text)[:16]


def like_pattern(fragment: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching `fragment` anywhere, with wildcards escaped."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False)


def sorted_json(value: object) -> str:
    """json.dumps(value, ensure_ascii=False, sort_keys=True), through one encoder made once rather than
    per call (4.0 against 7.0 us per document meta; the C encoder built by hand saved another 0.7 us,
    0.07 s per 100,000 imported documents, not worth a private API). Values come from parsed JSON or
    the store's own dicts, so they cannot be circular; NaN is written as json.dumps writes it (and
    refused by the json_valid checks)."""
    return _SORTED_JSON.encode(value)
