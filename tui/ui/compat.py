"""The few Textual internals tui needs and Textual has no public form for, in one place.

Each function names the private attribute it reads; tests/ui/test_compat.py checks that every one
still exists in the installed Textual (pinned ``textual>=8.2,<9`` in pyproject.toml), so an upgrade
that moves one fails there, not at a user's keypress.

- ``binding_chain``: the focused widget's ancestors with their keymap-applied bindings, *including*
  keys an inner widget shadows (``Screen.active_bindings`` keeps one binding per key, and the help
  screen must list every action: escape unselects in the view, else clears the search).
- ``node_bindings`` / ``class_bindings``: one node's (or node class's) bindings, for the key tests.
- ``add_bindings``: bindings made at run time for one widget instance (one key per label of the
  store); Textual only reads the class's ``BINDINGS``.
- ``character_to_key``: the key name Textual matches for a punctuation character ("?" is
  "question_mark"), to check a user's keymap the way Textual will read it.
- ``input_cursor_visible``: whether an Input's blinking caret is in its "on" phase, so a field that
  draws right-to-left text itself (tui.ui.text_input) blinks like Textual's own.
- ``driver_writer`` / ``driver``: the bidi control sequences must go out through the driver's
  writer thread, in order with Textual's frames.
- ``around_suspend``: and follow its suspend/resume (ctrl+z): Textual has no hook there, so the
  driver's ``suspend_application_mode`` / ``resume_application_mode`` are wrapped (here only:
  tests/test_public_apis.py fails on a Textual method replaced anywhere else).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.app import App
    from textual.driver import Driver
    from textual.screen import Screen

PRIVATE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("textual.screen:Screen", "_binding_chain"),
    ("textual.dom:DOMNode", "_bindings"),
    ("textual.app:App", "_driver"),
    ("textual.driver:Driver", "write"),
    ("textual.driver:Driver", "suspend_application_mode"),
    ("textual.driver:Driver", "resume_application_mode"),
    ("textual.keys", "_character_to_key"),
    ("textual.dom:DOMNode", "_merge_bindings"),
    ("textual.widgets:Input", "_cursor_visible"),
)
"""(class, attribute) pairs this module relies on; checked by tests/ui/test_compat.py."""


def binding_chain(screen: Screen) -> list[tuple[DOMNode, BindingsMap]]:
    """Every (node, bindings) from the focused widget outwards, with the app's keymap applied."""
    return screen._binding_chain  # noqa: SLF001


def node_bindings(node: DOMNode) -> BindingsMap:
    """One node's own bindings (its class's BINDINGS and any added at run time), before the keymap."""
    return node._bindings  # noqa: SLF001


def class_bindings(cls: type[DOMNode]) -> BindingsMap:
    """The bindings a node class starts with (BINDINGS merged along its bases, as Textual does)."""
    return cls._merge_bindings()  # noqa: SLF001


def add_bindings(node: DOMNode, bindings: Iterable[Binding]) -> None:
    """Give one widget instance extra bindings on top of its class's."""
    node._bindings = BindingsMap.merge([node._bindings, BindingsMap(list(bindings))])  # noqa: SLF001


def driver(app: App[Any]) -> Driver | None:
    """The app's driver while it runs (None under run_test before start, or after exit)."""
    return app._driver  # noqa: SLF001


def driver_writer(app: App[Any]) -> Callable[[str], None] | None:
    """Write bytes to the terminal in order with Textual's frames (None when the app is not running)."""
    found = driver(app)
    return found.write if found is not None else None


def around_suspend(app: App[Any], *, after_suspend: Callable[[], object],
                   before_resume: Callable[[], object]) -> bool:
    """Run `after_suspend` once Textual has left application mode for a suspend (the alternate screen
    is gone, the shell gets the terminal) and `before_resume` before it enters it again (before its
    first redraw). Call once the app runs; False when it has no driver to follow."""
    found = driver(app)
    if found is None:
        return False
    suspend, resume = found.suspend_application_mode, found.resume_application_mode

    def suspend_application_mode() -> None:
        suspend()
        after_suspend()

    def resume_application_mode() -> None:
        before_resume()
        resume()

    found.suspend_application_mode = suspend_application_mode  # type: ignore[method-assign]
    found.resume_application_mode = resume_application_mode  # type: ignore[method-assign]
    return True


def character_to_key(character: str) -> str:
    """Textual's key name for one character ("?" -> "question_mark")."""
    from textual.keys import _character_to_key

    return _character_to_key(character)


def input_cursor_visible(field: Any) -> bool:
    """True while an Input's blinking caret is shown (always True when it does not blink)."""
    return bool(getattr(field, "_cursor_visible", True))  # noqa: SLF001
