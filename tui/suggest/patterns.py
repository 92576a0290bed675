"""Gazetteers and patterns: read ``text<TAB>LABEL`` files and Prodigy/spaCy pattern JSONL, write
them back. Pure: strings in, entries out; every error names the file and line.

- **TSV** (``.tsv``, ``.txt``, anything not JSON): one entry per line, ``text<TAB>LABEL``; blank
  lines and lines starting with ``#`` are skipped.
- **JSONL** (``.jsonl``, ``.json``, ``.ndjson``, or a first entry starting with ``{``): one object per
  line, ``{"label": "entity", "pattern": "Vladimir Putin"}`` or, as spaCy's EntityRuler and Prodigy
  write token patterns, ``{"label": "entity", "pattern": [{"lower": "vladimir"}, {"lower": "putin"}]}``.
  Each token is one of ``lower``, ``orth`` or ``text`` (all matched folded: case, tone placement and
  Arabic spelling variants never matter); other keys (``id``, ...) on the line are ignored.

An entry matches like a tagged string (``tui.suggest.propagate``): on whole tokens, folded, with
Arabic proclitics allowed in front.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from tui.suggest.propagate import key_of, key_of_tokens

TOKEN_KEYS = ("lower", "orth", "text")


class PatternError(ValueError):
    """``FILE:LINE: what is wrong`` (one line, for the user)."""


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    kind: str  # "text" | "tokens"
    pattern: str | list[dict[str, str]]
    key: str
    where: str  # FILE:LINE


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _check_text(value: str, where: str, what: str) -> str:
    if "\x00" in value:
        raise PatternError(f"{where}: the {what} contains a NUL character.")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise PatternError(f"{where}: the {what} contains a lone surrogate.")
    return _clean(value)


def _matchable(key: str | None) -> str | None:
    """The key, if it has a letter or digit to match on (punctuation alone would match everywhere)."""
    return key if key is not None and any(ch.isalnum() for ch in key) else None


def _check_label(label: str, where: str) -> str:
    """A label as ``tui labels`` accepts it: no control or layout characters, no double spaces."""
    label = _check_text(label.strip(), where, "label")
    if not label:
        raise PatternError(f"{where}: the label is empty.")
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in label) or "  " in label:
        raise PatternError(f"{where}: the label {label!r} contains control or layout characters; use letters, "
                           "digits, - or _.")
    return label


def parse_tsv(lines: Iterable[str], name: str) -> list[Pattern]:
    out: list[Pattern] = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        where = f"{name}:{number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            raise PatternError(f"{where}: expected TEXT<TAB>LABEL, found no tab. Separate the text and its label "
                               "with one tab.")
        text, label = line.rsplit("\t", 1)
        text = _check_text(text.strip(), where, "text")
        if not text:
            raise PatternError(f"{where}: the text before the tab is empty.")
        if not label.strip():
            raise PatternError(f"{where}: the label after the tab is empty.")
        label = _check_label(label, where)
        key = _matchable(key_of(text))
        if key is None:
            raise PatternError(f"{where}: {text!r} has no letters or digits to match on.")
        out.append(Pattern(label, "text", text, key, where))
    return out


def parse_jsonl(lines: Iterable[str], name: str) -> list[Pattern]:
    out: list[Pattern] = []
    for number, raw in enumerate(lines, 1):
        where = f"{name}:{number}"
        line = raw.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}).") from None
        if not isinstance(record, dict):
            raise PatternError(f"{where}: expected an object {{\"label\": ..., \"pattern\": ...}}.")
        label = record.get("label")
        if not isinstance(label, str) or not label.strip():
            raise PatternError(f"{where}: \"label\" must be a non-empty string.")
        label = _check_label(label, where)
        pattern = record.get("pattern")
        if isinstance(pattern, str):
            text = _check_text(pattern.strip(), where, "pattern")
            key = _matchable(key_of(text))
            if key is None:
                raise PatternError(f"{where}: the pattern {pattern!r} has no letters or digits to match on.")
            out.append(Pattern(label, "text", text, key, where))
        elif isinstance(pattern, list) and pattern:
            words: list[str] = []
            tokens: list[dict[str, str]] = []
            for i, token in enumerate(pattern, 1):
                if not isinstance(token, dict) or len(token) != 1:
                    raise PatternError(f"{where}: token {i} must be an object with one key, one of "
                                       f"{', '.join(TOKEN_KEYS)} (e.g. {{\"lower\": \"putin\"}}).")
                (attr, value), = token.items()
                if attr.lower() not in TOKEN_KEYS:
                    raise PatternError(f"{where}: token {i}: {attr!r} is not supported; use one of "
                                       f"{', '.join(TOKEN_KEYS)}.")
                if not isinstance(value, str) or not value.strip():
                    raise PatternError(f"{where}: token {i}: the value of {attr!r} must be a non-empty string.")
                value = _check_text(value, where, f"token {i}")
                words.append(value)
                tokens.append({attr.lower(): value})
            key = _matchable(key_of_tokens(words))
            if key is None:
                raise PatternError(f"{where}: the tokens have no letters or digits to match on.")
            out.append(Pattern(label, "tokens", tokens, key, where))
        else:
            raise PatternError(f"{where}: \"pattern\" must be a string or a non-empty list of tokens "
                               "like [{\"lower\": \"putin\"}].")
    return out


def is_jsonl(name: str, lines: list[str]) -> bool:
    lower = name.lower()
    if lower.endswith((".jsonl", ".json", ".ndjson")):
        return True
    if lower.endswith((".tsv", ".txt", ".tab")):
        return False
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            return line.lstrip().startswith("{")
    return False


def parse(content: str, name: str) -> list[Pattern]:
    """The entries of one file's text (already decoded)."""
    lines = content.split("\n")
    return parse_jsonl(lines, name) if is_jsonl(name, lines) else parse_tsv(lines, name)


def to_jsonl(label: str, pattern: str | list[dict[str, str]]) -> str:
    return json.dumps({"label": label, "pattern": pattern}, ensure_ascii=False)


def to_tsv(label: str, pattern: str | list[dict[str, str]]) -> str:
    text = pattern if isinstance(pattern, str) else " ".join(next(iter(t.values())) for t in pattern)
    return f"{text}\t{label}"
