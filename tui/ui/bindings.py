"""The live key bindings of a screen, after the user's keymap: what the help screen and
the command palette list, so a remapped key shows everywhere it is mentioned."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from tui.ui.compat import binding_chain


@dataclass(frozen=True)
class BoundAction:
    """One action and every key that triggers it (several bindings may share an action)."""

    node: DOMNode
    action: str
    description: str
    keys: tuple[str, ...]
    binding_ids: tuple[str, ...]
    tooltip: str
    section: str


def section_of(node: DOMNode) -> str:
    name = type(node).__name__
    if name == "DocumentView":
        return "Caret, selection, scrolling"
    if name == "ArticlePane":
        return "Annotation"
    return "Application"


def live_actions(screen: Screen, key_display=None) -> list[BoundAction]:
    """Every binding reachable from the focused widget of `screen`, innermost first.

    A key may appear twice (escape: unselect in the view, else clear the search): inner
    bindings pass a key on when they have nothing to do. Keys are shown as the keymap left
    them (Textual applies the keymap in the chain)."""
    display = key_display or (lambda binding: binding.key_display or binding.key)
    merged: dict[tuple[int, str], tuple[DOMNode, Binding, list[str], list[str]]] = {}
    for node, bindings in binding_chain(screen):  # Textual's own keymap-applied chain
        for _key, binding in bindings:
            if binding.system or binding.action in ("app.focus_next", "app.focus_previous"):
                continue
            entry = merged.setdefault((id(node), binding.action), (node, binding, [], []))
            label = display(binding)
            if label not in entry[2]:
                entry[2].append(label)
            if binding.id and binding.id not in entry[3]:
                entry[3].append(binding.id)
    return [
        BoundAction(
            node=node,
            action=binding.action,
            description=binding.description or binding.action,
            keys=tuple(keys),
            binding_ids=tuple(ids),
            tooltip=binding.tooltip,
            section=section_of(node),
        )
        for node, binding, keys, ids in merged.values()
    ]
