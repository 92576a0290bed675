"""The one boundary for untrusted strings on their way to a terminal.

Everything that did not come from tui's own code — label names, keys, colours and descriptions,
languages, annotator names, titles shown outside the layout engine, meta values, file names, and
error messages that quote any of these — passes :func:`safe_text` before it is drawn or printed.
Document text itself goes through the layout engine (``tui.layout``), which shows the same
placeholders.

What it guarantees: the result contains no C0/C1 control, DEL, escape, bidi control, other format
character, line/paragraph separator, surrogate, private-use or unassigned code point. Each such
character becomes one visible placeholder (the layout's: Control Pictures ``␛ ␉ ␊``, ``␡``, ``⁞``
for bidi controls, ``¤`` for the rest), so nothing is silently hidden.

What it does NOT do: escape markup. A safe string is still *text*: draw it with ``rich.text.Text``
(see :mod:`tui.safe_rich`), never with f-string markup or ``console.print(str)``, and pass
``markup=False`` to Textual's ``notify``.

Headless: no Textual, no Rich (the store and the importers use the validators below).
"""

from __future__ import annotations

import unicodedata

from tui.layout.chars import BIDI_CONTROL_PLACEHOLDER, BIDI_CONTROLS, FORMAT_PLACEHOLDER, char_width

ELLIPSIS = "…"
MAX_LABEL_NAME = 40
"""Longest label name (code points): imports, `tui labels` and the store all check it here."""

_placeholders: dict[str, str] = {}
"""character -> what is shown instead (only for characters that must not reach a terminal)"""


def _placeholder(ch: str) -> str | None:
    cp = ord(ch)
    if cp < 0x20:
        return chr(0x2400 + cp)  # ␀ .. ␟ (tab ␉, newline ␊, escape ␛)
    if cp == 0x7F:
        return "\u2421"  # ␡
    if ch in BIDI_CONTROLS:
        return BIDI_CONTROL_PLACEHOLDER
    category = unicodedata.category(ch)
    if category == "Cs":
        return "\ufffd"
    if category[0] == "C" or category in ("Zl", "Zp"):  # Cc (C1), Cf, Co, Cn; U+2028/U+2029
        return FORMAT_PLACEHOLDER
    return None


def _shown(ch: str) -> str:
    shown = _placeholders.get(ch)
    if shown is None:
        replacement = _placeholder(ch)
        shown = _placeholders[ch] = ch if replacement is None else replacement
    return shown


def is_safe(text: str) -> bool:
    """True when `text` would pass :func:`safe_text` unchanged (no hidden character at all)."""
    return all(_shown(ch) == ch for ch in text)


def safe_text(value: object, limit: int | None = None) -> str:
    """`value` as a string that is inert on a terminal (see the module docstring).

    With `limit`, the result is at most `limit` terminal cells: longer strings are cut and end
    with ``…``. Never raises (a value whose ``str()`` fails shows as ``?``)."""
    if not isinstance(value, str):
        try:
            value = "" if value is None else str(value)
        except Exception:  # noqa: BLE001 - the boundary never raises
            value = "?"
    if limit is not None:
        # Enough characters for `limit` cells whatever their widths; avoids mapping a 10 MB string.
        value = value[: limit * 2 + 2]
    shown = value if is_safe(value) else "".join(map(_shown, value))
    if limit is None:
        return shown
    return _cut(shown, max(0, limit))


def _cut(text: str, limit: int) -> str:
    widths = [char_width(ch) for ch in text]
    if sum(widths) <= limit:
        return text
    if limit == 0:
        return ""
    used = 0
    for index, width in enumerate(widths):
        if used + width > limit - 1:
            return text[:index] + ELLIPSIS
        used += width
    return text  # pragma: no cover - unreachable (the sum exceeded the limit)


def safe_repr(value: object, limit: int | None = 60) -> str:
    """A quoted, safe form of a value for a message (``“name”``), cut to `limit` cells."""
    return f"“{safe_text(value, limit)}”"


# -- validation at import: names and keys must be printable and short --------------------------


def label_name_problem(name: object) -> str | None:
    """Why `name` cannot be a label name (one short phrase), or None when it can.

    A label name is shown in the status line, the help screen and the key bar, and is part of
    binding ids: it must be printable (no control, format, bidi or separator character), start
    and end with a visible character, and be at most MAX_LABEL_NAME characters."""
    if not isinstance(name, str):
        return "a label must be a string"
    if not name.strip():
        return "a label must not be empty"
    if len(name) > MAX_LABEL_NAME:
        return f"a label is at most {MAX_LABEL_NAME} characters (this one has {len(name):,})"
    if not is_safe(name):
        bad = next(ch for ch in name if _shown(ch) != ch)
        return f"a label must be printable: it contains U+{ord(bad):04X} ({_char_name(bad)})"
    if name != name.strip():
        return "a label must not start or end with a space"
    if "  " in name or any(ch.isspace() and ch != " " for ch in name):
        return "a label's words are separated by single spaces"
    return None


def label_key_problem(key: object) -> str | None:
    """Why `key` cannot be a label's key (None when it can): one printable, visible character
    other than ',' (key lists are comma-separated)."""
    if not isinstance(key, str) or len(key) != 1:
        return "a label key must be a single character"
    if key.isspace() or not is_safe(key) or char_width(key) != 1:
        return "a label key must be a visible one-column character"
    if key == ",":
        return "a label key cannot be ','"
    return None


def _char_name(ch: str) -> str:
    try:
        return unicodedata.name(ch)
    except ValueError:
        return "a control character" if unicodedata.category(ch) == "Cc" else unicodedata.category(ch)


# -- export to a terminal -----------------------------------------------------------------------


def escape_json_for_terminal(line: str) -> str:
    r"""A JSON line with every hidden character written as a ``\uXXXX`` escape (``\u009b``).

    Same JSON value, so a reader gets the same record; but no byte of it can act on a terminal.
    Only for output to a terminal: files and pipes get the line unchanged (byte-identical)."""
    body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
    if is_safe(body):
        return line
    out = []
    for ch in body:
        if _shown(ch) == ch:
            out.append(ch)
        elif ord(ch) > 0xFFFF:  # JSON escapes astral characters as a surrogate pair
            cp = ord(ch) - 0x10000
            out.append(f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out) + newline
