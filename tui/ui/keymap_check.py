"""Checking the user's [keymap] before it is applied: unknown binding ids and clashes are
reported in one line, and the essential actions (quit, help, command palette) always keep a
key that reaches them. Pure: works on plain binding descriptions, no app needed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ESSENTIAL: tuple[str, ...] = ("quit", "help", "command_palette")
"""Binding ids that must always have a working key (a remap can never leave them without one)."""


@dataclass(frozen=True)
class BindingInfo:
    """One binding of the main screen's chain. `level`: 0 is the focused widget (deepest: wins)."""

    id: str
    keys: tuple[str, ...]
    level: int
    priority: bool = False
    essential_group: str = ""  # bindings that are one essential action (command_palette + its alt)


@dataclass(frozen=True)
class KeymapReport:
    keymap: dict[str, str]  # what to hand to App.set_keymap
    problems: tuple[str, ...]

    def line(self, source: str = "keymap") -> str:
        """One line for the status bar / stderr, or "" when all is well."""
        return f"{source}: " + "; ".join(self.problems) if self.problems else ""


def normalise_key(key: str) -> str:
    """The key name Textual matches ("?" and "question_mark" are the same key)."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        from tui.ui.compat import character_to_key

        return character_to_key(key)
    return key


def split_keys(value: str) -> tuple[str, ...]:
    return tuple(normalise_key(part) for part in value.split(",") if part.strip())


def check_keymap(bindings: Iterable[BindingInfo], keymap: Mapping[str, str],
                 essential: tuple[str, ...] = ESSENTIAL) -> KeymapReport:
    infos = list(bindings)
    by_id = {info.id: info for info in infos}
    problems: list[str] = []
    unknown = sorted(set(keymap) - set(by_id))
    if unknown:
        problems.append(
            f"unknown binding id{'s' * (len(unknown) > 1)} {', '.join(repr(u) for u in unknown)} ignored "
            "(the help screen, ?, lists the ids)"
        )
    user: dict[str, tuple[str, ...]] = {
        binding_id: split_keys(value) for binding_id, value in keymap.items() if binding_id in by_id
    }

    def keys_of(binding_id: str) -> tuple[str, ...]:
        return user.get(binding_id, by_id[binding_id].keys)

    def winner(key: str) -> str | None:
        claims = [info for info in infos if key in keys_of(info.id)]
        if not claims:
            return None
        return min(claims, key=lambda info: (not info.priority, info.level)).id

    # Essential actions keep a key: the user's remap that takes their last key loses it.
    # (Repeated until stable: giving help its key back can take the key quit was moved to.)
    fixed: list[str] = []
    restored: set[str] = set()  # each at most once: a default shadowed by a default is not ours to fix
    pending = True
    while pending:
        pending = False
        for name in essential:
            group = [info for info in infos if info.id == name or info.essential_group == name]
            ids = {info.id for info in group}
            if not group or group[0].id in restored or any(
                    winner(key) in ids for info in group for key in keys_of(info.id)):
                continue
            restored.add(group[0].id)
            pending = True
            _restore(group[0], user, winner, keys_of, fixed)
    problems.extend(fixed)

    # Other clashes the user made: a key they assigned that another binding also has.
    reported: set[frozenset[str]] = set()
    for binding_id, keys in user.items():
        for key in keys:
            for other in infos:
                if other.id == binding_id or key not in keys_of(other.id):
                    continue
                pair = frozenset((binding_id, other.id))
                if pair in reported:
                    continue
                reported.add(pair)
                problems.append(f"{key!r} is bound to both {binding_id} and {other.id} ({winner(key)} wins)")
    return KeymapReport({binding_id: ",".join(keys) for binding_id, keys in user.items()}, tuple(problems))


def _restore(main: BindingInfo, user: dict[str, tuple[str, ...]], winner, keys_of, fixed: list[str]) -> None:
    """Give essential binding `main` its default keys back, taking them from every user remap."""
    takers = sorted({winner(key) or "" for key in keys_of(main.id)} - {"", main.id})
    user.pop(main.id, None)
    for key in main.keys:
        for other_id in list(user):
            if key in user[other_id]:
                remaining = tuple(k for k in user[other_id] if k != key)
                if remaining:
                    user[other_id] = remaining
                else:
                    del user[other_id]
    fixed.append(f"{main.id} keeps {', '.join(main.keys)} "
                 f"({', '.join(takers) or 'the remap'} would have left it without a key)")


def bindings_of(nodes: Iterable[tuple[int, Iterable[object]]]) -> list[BindingInfo]:
    """BindingInfo for Textual Binding objects, given as (level, bindings) pairs."""
    infos: list[BindingInfo] = []
    for level, bindings in nodes:
        for binding in bindings:
            binding_id = getattr(binding, "id", None)
            if not binding_id:
                continue
            keys = split_keys(str(getattr(binding, "key", "")))
            group = "command_palette" if binding_id.startswith("command_palette") else ""
            infos.append(BindingInfo(binding_id, keys, level, bool(getattr(binding, "priority", False)), group))
    return infos
