"""The Unicode Bidirectional Algorithm (UAX #9), pure Python: paragraph level, resolved levels,
line-level resets (L1), reordering (L2) and mirroring (L4).

``resolve_levels(text, base)`` maps each character index to its embedding level after rules
P2-P3, X1-X10, W1-W7, N0-N2 and I1-I2. Characters removed by X9 (embedding/override controls, BN)
get the level of the character before them (the paragraph level at the start) so that they can
still be drawn as placeholders; ``REMOVED`` holds their classes. Rule L1 depends on line
breaks, so it is applied per line by ``reset_line_levels``; ``visual_order`` is L2.

Character classes come from ``unicodedata.bidirectional`` (Python 3.11: Unicode 14; see
``bidi_classes``); brackets (N0) and mirror glyphs (L4) from tables vendored in ``tables/`` (Unicode 15).
L1, L2 and L4 live in ``bidi_lines``; both modules' names are importable from here. The rules over
one isolating run sequence's runs (W1-W7, N0-N2, I1-I2) live in ``bidi_runs``.
"""

from __future__ import annotations

import re
from itertools import accumulate, chain, repeat
from operator import itemgetter, sub
from typing import Callable, Sequence

from .bidi_classes import CLASS_OF as CLASS_OF
from .bidi_classes import CODE_OF_NAME as CODE_OF_NAME
from .bidi_classes import EXPLICIT, ISOLATE_INIT
from .bidi_classes import L1_TRAILING as L1_TRAILING
from .bidi_classes import NAME_OF_CODE as NAME_OF_CODE
from .bidi_classes import REMOVED as REMOVED
from .bidi_classes import bidi_classes as bidi_classes
from .bidi_classes import may_need_bidi as may_need_bidi
from .bidi_lines import MIRRORED_RE as MIRRORED_RE
from .bidi_lines import l1_resets as l1_resets
from .bidi_lines import mirror as mirror
from .bidi_lines import reset_line_levels as reset_line_levels
from .bidi_lines import visual_order as visual_order
from .bidi_lines import visual_runs as visual_runs
from .bidi_runs import _resolve_runs
from .tables._bidi_brackets import BRACKETS as BRACKETS
from .tables._bidi_mirroring import MIRRORS as MIRRORS

MAX_DEPTH = 125


def _matching_pdis(classes: str, start: int, end: int) -> dict[int, int]:
    """BD9: isolate initiator index -> index of its matching PDI (when it has one)."""
    match: dict[int, int] = {}
    stack: list[int] = []
    for i in range(start, end):
        cls = classes[i]
        if cls in ISOLATE_INIT:
            stack.append(i)
        elif cls == "9" and stack:
            match[stack.pop()] = i
    return match


def first_strong_level(classes: str, start: int, end: int, default: int = 0, *,
                       across_paragraphs: bool = False) -> int:
    """P2-P3: 1 if the first strong character (skipping isolated content) is R/AL, 0 if L.

    The scan stops at a paragraph separator (one paragraph's level), or with `across_paragraphs`
    goes on into the next paragraph (a whole document's direction: its first strong character)."""
    depth = 0
    for i in range(start, end):
        cls = classes[i]
        if cls in ISOLATE_INIT:
            depth += 1
        elif cls == "9":
            if depth:
                depth -= 1
        elif cls == "B":
            if not across_paragraphs:
                break
            depth = 0
        elif depth == 0:
            if cls == "L":
                return 0
            if cls == "R" or cls == "A":
                return 1
    return default


def paragraph_level(text: str, direction: str = "auto") -> int:
    """Paragraph embedding level: 0 for "ltr", 1 for "rtl", P2-P3 for "auto"."""
    if direction == "ltr":
        return 0
    if direction == "rtl":
        return 1
    classes = bidi_classes(text)
    return first_strong_level(classes, 0, len(classes))


def resolve_levels(text: str, base: int | None = None,
                   classes: str | None = None, first: int | None = None) -> tuple[list[int], int]:
    """Resolved embedding level per character (before L1) and the paragraph level.

    ``base`` is the paragraph level (None: P2-P3). ``text`` is one paragraph; characters of class B
    inside it end a UAX #9 paragraph and start the next one with the same ``base`` rule (so every
    UAX #9 paragraph gets its own P2-P3 level); the returned level is the first one's. ``first``
    (with ``base`` None) sets the first one's level instead of P2-P3: a block of a giant paragraph
    continues the UAX #9 paragraph of the block before it (see giant.py).
    """
    if classes is None:
        classes = bidi_classes(text)
    n = len(classes)
    levels = [0] * n
    first_level = -1
    start = 0
    while start < n or first_level < 0:
        end = classes.find("B", start)
        end = n if end < 0 else end + 1  # B belongs to the paragraph it ends
        if base is not None:
            para = base
        elif first is not None and first_level < 0:
            para = first
        else:
            para = first_strong_level(classes, start, end)
        if first_level < 0:
            first_level = para
        _resolve_paragraph(text, classes, start, end, para, levels)
        start = end
        if start >= n:
            break
    return levels, first_level


_NOT_SIMPLE_RE = re.compile("[x123456789B]")
_RUN_RE = re.compile(r"(.)\1*")


def _resolve_paragraph(text: str, classes: str, start: int, end: int, para: int,
                       levels: list[int]) -> None:
    n = end - start
    if _NOT_SIMPLE_RE.search(classes, start, end) is None:
        # No embeddings, overrides, isolates or BN: one isolating run sequence at the paragraph
        # level, made of the runs of equal class (found by a regular expression).
        codes = _collapse_neutrals(_early_weak_rules(text, classes[start:end], start, end, para))
        rtype, rstart, bracket = _runs_from_codes(text, codes, start)
        finals = _resolve_runs(rtype, rstart, bracket, para, para, para)
        levels[start:end] = chain.from_iterable(map(repeat, finals, map(sub, rstart[1:], rstart)))
        return
    types = list(classes[start:end])
    if not any(cls in EXPLICIT for cls in types):
        lv = [para] * n
        seq = [i for i in range(n) if types[i] != "x"]
        _resolve_sequence(text, start, types, seq, lv, para, para, para)
    else:
        lv, seq_list = _explicit(text, classes, start, end, para, types)
        for seq, level, sos, eos in seq_list:
            _resolve_sequence(text, start, types, seq, lv, level, sos, eos)
    # Removed characters take the level of the character before them (paragraph level at start).
    prev = para
    for i in range(n):
        if classes[start + i] in REMOVED:
            lv[i] = prev
        elif classes[start + i] == "B":
            lv[i] = para
            prev = para
        else:
            prev = lv[i]
    levels[start:end] = lv


_RUN_PIECES_RE = re.compile(r"((.)\2*)")
_BRACKET_CHARS_RE = re.compile("[" + re.escape("".join(chr(cp) for cp in BRACKETS)) + "]")


_W1_RE = re.compile(r"([^m])(m+)")
_W2_SEGMENT_RE = re.compile(r"A[^LR]*")


def _w2_w3(match: re.Match[str]) -> str:
    return match.group().replace("E", "N").replace("A", "R")


def _w1(match: re.Match[str]) -> str:
    return match.group(1) * (1 + len(match.group(2)))


def _early_weak_rules(text: str, codes: str, start: int, end: int, para: int) -> str:
    """W1-W3 on the class codes of a paragraph without explicit controls, as string operations:
    NSM takes the class before it (W1; left to the run rules when there are brackets, since N0
    needs to know which characters were NSM), EN after AL becomes AN (W2), AL becomes R (W3).
    An AL's stretch up to the next L or R is exactly where W2 applies."""
    if "m" in codes and _BRACKET_CHARS_RE.search(text, start, end) is None:
        sos = "R" if para & 1 else "L"
        codes = _W1_RE.sub(_w1, codes)
        if codes.startswith("m"):
            stripped = codes.lstrip("m")
            codes = sos * (len(codes) - len(stripped)) + stripped
    if "A" in codes:
        codes = _W2_SEGMENT_RE.sub(_w2_w3, codes)
    return codes


# A space or comma between two characters of the same strong class resolves to that class (W6
# makes the comma ON, then N1); giving it that class up front makes the runs longer and fewer.
_COLLAPSIBLE = [(strong, re.compile(f"(?<={strong})[_,](?={strong})")) for strong in "LR"]
_COLLAPSIBLE_LONG = [(strong, re.compile(f"(?<={strong})[_,]{{2,}}(?={strong})")) for strong in "LR"]


def _repeat_for(strong: str) -> Callable[[re.Match[str]], str]:
    return lambda match: strong * len(match.group())


def _collapse_neutrals(codes: str) -> str:
    """Spaces and commas between two characters of the same strong class (after W1-W3) take
    that class: single ones by a constant substitution, longer stretches by a callback."""
    for strong, pattern in _COLLAPSIBLE:
        codes = pattern.sub(strong, codes)
    for strong, pattern in _COLLAPSIBLE_LONG:
        codes = pattern.sub(_repeat_for(strong), codes)
    return codes


def _runs_from_codes(
    text: str, codes: str, start: int
) -> tuple[list[str], list[int], dict[int, tuple[int, bool]]]:
    """Runs of equal class over ``codes``, the classes of ``text[start:start + len(codes)]`` (no
    removed or explicit characters): (run classes, run starts relative to ``start`` plus the
    end, {run index: bracket info})."""
    end = start + len(codes)
    pieces = _RUN_PIECES_RE.findall(codes)
    rtype = list(map(itemgetter(1), pieces))
    rstart = [0, *accumulate(map(len, map(itemgetter(0), pieces)))]
    bracket: dict[int, tuple[int, bool]] = {}
    if _BRACKET_CHARS_RE.search(text, start, end) is None:
        return rtype, rstart, bracket
    # Split ON runs so that every bracket is a run of its own.
    old_type, old_start = rtype, rstart
    rtype, rstart = [], []
    for r, t in enumerate(old_type):
        a, b = old_start[r], old_start[r + 1]
        if t != "o":
            rtype.append(t)
            rstart.append(a)
            continue
        new_run = True
        for q in range(a, b):
            cp = ord(text[start + q])
            info = BRACKETS.get(cp)
            if info is not None:
                bracket[len(rtype)] = (cp, info[1])
                rtype.append("o")
                rstart.append(q)
                new_run = True
            elif new_run:
                rtype.append("o")
                rstart.append(q)
                new_run = False
    rstart.append(end - start)
    return rtype, rstart, bracket


def _explicit(
    text: str, classes: str, start: int, end: int, para: int, types: list[str]
) -> tuple[list[int], list[tuple[list[int], int, int, int]]]:
    """X1-X10: levels from explicit embeddings/overrides/isolates (``types`` updated in place for
    overrides) and the isolating run sequences as (indices, level, sos level, eos level)."""
    n = end - start
    lv = [para] * n
    pdi_of = _matching_pdis(classes, start, end)
    stack: list[tuple[int, str | None, bool]] = [(para, None, False)]
    overflow_isolate = overflow_embedding = valid_isolate = 0
    for k in range(n):
        cls = types[k]
        level, override, _iso = stack[-1]
        if cls in ("3", "1", "4", "2"):
            new = (level + 1) | 1 if cls in ("3", "4") else (level + 2) & ~1
            if new <= MAX_DEPTH and overflow_isolate == 0 and overflow_embedding == 0:
                stack.append((new, "R" if cls == "4" else "L" if cls == "2" else None, False))
            elif overflow_isolate == 0:
                overflow_embedding += 1
            lv[k] = level
        elif cls in ISOLATE_INIT:
            lv[k] = level
            if override is not None:
                types[k] = override
            if cls == "8":
                stop = pdi_of.get(start + k, end)
                is_rtl = first_strong_level(classes, start + k + 1, stop) == 1
            else:
                is_rtl = cls == "7"
            new = (level + 1) | 1 if is_rtl else (level + 2) & ~1
            if new <= MAX_DEPTH and overflow_isolate == 0 and overflow_embedding == 0:
                valid_isolate += 1
                stack.append((new, None, True))
            else:
                overflow_isolate += 1
        elif cls == "9":
            if overflow_isolate > 0:
                overflow_isolate -= 1
            elif valid_isolate:
                overflow_embedding = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolate -= 1
            level, override, _iso = stack[-1]
            lv[k] = level
            if override is not None:
                types[k] = override
        elif cls == "5":
            if overflow_isolate:
                pass  # X7: a PDF inside an overflowing isolate does nothing
            elif overflow_embedding:
                overflow_embedding -= 1
            elif not stack[-1][2] and len(stack) >= 2:
                stack.pop()
            lv[k] = level
        elif cls == "B":
            lv[k] = para
        elif cls == "x":
            lv[k] = level
        else:
            lv[k] = level
            if override is not None:
                types[k] = override
    # X9/X10: level runs over the characters that are not removed, linked through isolates.
    kept = [k for k in range(n) if classes[start + k] not in REMOVED]
    runs: list[list[int]] = []
    for k in kept:
        if runs and lv[runs[-1][-1]] == lv[k]:
            runs[-1].append(k)
        else:
            runs.append([k])
    run_of_first = {run[0]: idx for idx, run in enumerate(runs)}
    sequences = []
    used = set()
    for idx, run in enumerate(runs):
        if idx in used:
            continue
        seq = list(run)
        used.add(idx)
        while classes[start + seq[-1]] in ISOLATE_INIT and (start + seq[-1]) in pdi_of:
            nxt = run_of_first.get(pdi_of[start + seq[-1]] - start)
            if nxt is None:
                break
            used.add(nxt)
            seq.extend(runs[nxt])
        sequences.append(seq)
    result = []
    kept_pos = {k: p for p, k in enumerate(kept)}
    for seq in sequences:
        level = lv[seq[0]]
        p = kept_pos[seq[0]]
        before = lv[kept[p - 1]] if p > 0 else para
        last = seq[-1]
        if classes[start + last] in ISOLATE_INIT:
            after = para
        else:
            q = kept_pos[last]
            after = lv[kept[q + 1]] if q + 1 < len(kept) else para
        result.append((seq, level, max(before, level), max(after, level)))
    return lv, result


def _resolve_sequence(text: str, offset: int, types: list[str], seq: list[int], lv: list[int],
                      level: int, sos_level: int, eos_level: int) -> None:
    """Resolve one isolating run sequence (``seq`` = indices into ``types``) into ``lv``."""
    if not seq:
        return
    # Runs of equal class; brackets, isolate initiators and PDIs stay single-character runs.
    rtype: list[str] = []
    rstart: list[int] = []
    bracket: dict[int, tuple[int, bool]] = {}
    prev_t = None
    for p, k in enumerate(seq):
        t = types[k]
        if t == "o":
            cp = ord(text[offset + k])
            info = BRACKETS.get(cp)
            if info is not None:
                bracket[len(rtype)] = (cp, info[1])
                rtype.append(t)
                rstart.append(p)
                prev_t = None
                continue
        if t != prev_t or t in ISOLATE_INIT or t == "9":
            rtype.append(t)
            rstart.append(p)
            prev_t = t
    rstart.append(len(seq))
    finals = _resolve_runs(rtype, rstart, bracket, level, sos_level, eos_level)
    for r, final in enumerate(finals):
        for p in range(rstart[r], rstart[r + 1]):
            lv[seq[p]] = final
