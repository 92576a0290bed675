"""UAX #9 rules W1-W7, N0-N2 and I1-I2 over the runs of one isolating run sequence (``bidi`` builds
the sequences, X1-X10, and calls ``_resolve_runs``; see its module docstring)."""

from __future__ import annotations

from .bidi_classes import ISOLATE_INIT, NEUTRAL_OR_ISOLATE
from .tables._bidi_brackets import BRACKETS


def _resolve_runs(rtype: list[str], rstart: list[int], bracket: dict[int, tuple[int, bool]],
                  level: int, sos_level: int, eos_level: int) -> list[int]:
    """W1-W7, N0-N2 and I1-I2 over the runs of one isolating run sequence (run ``r`` has class
    ``rtype[r]`` and covers sequence positions ``rstart[r]:rstart[r + 1]``; ``bracket`` marks the
    single-character bracket runs). Returns the final level of each run. ``rtype`` is consumed."""
    sos = "R" if sos_level & 1 else "L"
    eos = "R" if eos_level & 1 else "L"
    m = len(rtype)
    orig = list(rtype)
    present = set(rtype)  # each rule below runs only when its classes are present

    # W1: NSM takes the class of the run before it (ON after an isolate initiator or PDI).
    for r in range(m) if "m" in present else ():
        if rtype[r] == "m":
            if r == 0:
                rtype[r] = sos
            else:
                before = rtype[r - 1]
                rtype[r] = "o" if before in ISOLATE_INIT or before == "9" else before
    # W2 (EN after AL becomes AN) and W3 (AL becomes R).
    last_strong = sos
    for r in range(m) if "A" in present or "m" in present else ():
        t = rtype[r]
        if t == "E":
            if last_strong == "A":
                rtype[r] = "N"
        elif t == "R" or t == "L":
            last_strong = t
        elif t == "A":
            last_strong = "A"
            rtype[r] = "R"
    # W4: a single ES between ENs becomes EN; a single CS between two ENs or two ANs takes that.
    separators = "+" in present or "," in present
    for r in range(1, m - 1) if separators else ():
        t = rtype[r]
        if (t == "+" or t == ",") and rstart[r + 1] - rstart[r] == 1:
            a, b = rtype[r - 1], rtype[r + 1]
            if a == b and (a == "E" or (a == "N" and t == ",")):
                rtype[r] = a
    # W5: ETs next to an EN become EN.
    for r in range(m) if "$" in present else ():
        if rtype[r] == "E":
            q = r - 1
            while q >= 0 and rtype[q] == "$":
                rtype[q] = "E"
                q -= 1
            q = r + 1
            while q < m and rtype[q] == "$":
                rtype[q] = "E"
                q += 1
    # W6: remaining separators and terminators become ON.
    for r in range(m) if separators or "$" in present else ():
        if rtype[r] in ("+", "$", ","):
            rtype[r] = "o"
    # W7: EN after L (or sos L) becomes L.
    last_strong = sos
    for r in range(m) if "E" in rtype else ():
        t = rtype[r]
        if t == "E":
            if last_strong == "L":
                rtype[r] = "L"
        elif t == "L" or t == "R":
            last_strong = t

    embedding = "R" if level & 1 else "L"
    # N0: paired brackets.
    if bracket:
        pairs: list[tuple[int, int]] = []
        openers: list[tuple[int, int]] = []  # (closing bracket code point, run index)
        for r in sorted(bracket):
            if rtype[r] != "o":
                continue
            cp, is_open = bracket[r]
            if is_open:
                if len(openers) == 63:
                    break
                openers.append((BRACKETS[cp][0], r))
            else:
                canon = _canonical_bracket(cp)
                for depth in range(len(openers) - 1, -1, -1):
                    if _canonical_bracket(openers[depth][0]) == canon:
                        pairs.append((openers[depth][1], r))
                        del openers[depth:]
                        break
        pairs.sort()
        for open_r, close_r in pairs:
            found_embedding = found_opposite = False
            for r in range(open_r + 1, close_r):
                d = _strong_dir(rtype[r])
                if d is None:
                    continue
                if d == embedding:
                    found_embedding = True
                    break
                found_opposite = True
            if found_embedding:
                new = embedding
            elif found_opposite:
                context = sos
                for r in range(open_r - 1, -1, -1):
                    d = _strong_dir(rtype[r])
                    if d is not None:
                        context = d
                        break
                new = context if context != embedding else embedding
            else:
                continue
            for r in (open_r, close_r):
                rtype[r] = new
                q = r + 1
                while q < m and orig[q] == "m":
                    rtype[q] = new
                    q += 1

    # N1/N2: neutrals take the direction around them when both sides agree, else the embedding.
    r = 0
    while r < m:
        if rtype[r] in NEUTRAL_OR_ISOLATE:
            q = r
            while q < m and rtype[q] in NEUTRAL_OR_ISOLATE:
                q += 1
            before = sos if r == 0 else _DIRECTION_OF[rtype[r - 1]]
            after = eos if q == m else _DIRECTION_OF[rtype[q]]
            new = before if before == after else embedding
            for x in range(r, q):
                rtype[x] = new
            r = q
        else:
            r += 1

    # I1/I2: final levels.
    if level & 1:
        return [level + 1 if t == "L" or t == "E" or t == "N" else level for t in rtype]
    return [level + 1 if t == "R" else level + 2 if t == "N" or t == "E" else level for t in rtype]


_DIRECTION_OF = {"L": "L", "R": "R", "N": "R", "E": "R", "A": "R"}
"""strong direction a resolved class counts as in N0-N2 (EN and AN count as R)"""


def _strong_dir(t: str) -> str | None:
    if t == "L":
        return "L"
    if t in ("R", "N", "E", "A"):
        return "R"
    return None


def _canonical_bracket(cp: int) -> int:
    """Brackets equal under canonical equivalence (U+2329/232A = U+3008/3009) match each other."""
    return {0x2329: 0x3008, 0x232A: 0x3009}.get(cp, cp)
