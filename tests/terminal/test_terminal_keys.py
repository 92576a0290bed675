"""Keys that terminals and SSH swallow: ctrl+s / ctrl+q (XON/XOFF flow control) and F-keys
(missing or remapped on many terminals and laptops) must never be the only way to do something."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import pytest

from tests.support import Notifications
from tui.ui.compat import class_bindings, node_bindings
from tests.terminal.terminal_harness import SEEDS

SWALLOWED = {"ctrl+s", "ctrl+q"} | {f"f{n}" for n in range(1, 25)}


def _ui_node_classes():
    """Every Textual DOM node class defined in tui.ui (screens that are not open included)."""
    from textual.dom import DOMNode

    import tui.ui

    classes = set()
    for info in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        module = import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, DOMNode) and obj.__module__.startswith("tui.ui"):
                classes.add(obj)
    return classes


def _actions(nodes_bindings):
    """{(owner, action): set(keys)}; 'app.' prefixes folded so app- and screen-level quit merge."""
    actions: dict[tuple[str, str], set[str]] = {}
    for owner, bindings in nodes_bindings:
        for key, binding in bindings:
            action = binding.action.removeprefix("app.")
            actions.setdefault((owner, action), set()).add(key)
    return actions


def _merge_by_action(actions):
    merged: dict[str, set[str]] = {}
    for (_, action), keys in actions.items():
        merged.setdefault(action, set()).update(keys)
    return merged


async def _live_bindings(seeded_db):
    from tui.store import Store
    from tui.ui.app import AnnotatorApp

    store = Store.open(seeded_db)
    app = AnnotatorApp(store, annotator="keys")
    found = []
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for screen in app.screen_stack:
                for node in [app, screen, *screen.walk_children(with_self=False)]:
                    found.append((type(node).__name__, list(node_bindings(node))))
    finally:
        store.close()
    return found


@pytest.fixture(scope="module")
def all_bindings(tmp_path_factory):
    """Static BINDINGS of every tui.ui class plus the live bindings of the running app."""
    import asyncio

    from tui.formats.importer import import_paths
    from tui.store import Store

    db = tmp_path_factory.mktemp("keys") / "annotations.db"
    with Store.open(db) as store:
        import_paths(store, [SEEDS], annotator="import")
    static = [(cls.__name__, list(class_bindings(cls))) for cls in _ui_node_classes()]
    live = asyncio.run(_live_bindings(db))
    return static + live


def test_no_action_is_reachable_only_through_swallowed_keys(all_bindings):
    merged = _merge_by_action(_actions(all_bindings))
    assert merged, "no bindings found"
    stranded = {action: sorted(keys) for action, keys in merged.items() if keys <= SWALLOWED}
    # Textual's own ctrl+q quit is fine only because the app also quits on a plain key.
    assert not stranded, f"only on keys terminals/SSH swallow: {stranded}"


def test_quit_and_tagging_have_plain_keys(all_bindings):
    merged = _merge_by_action(_actions(all_bindings))
    assert "q" in merged.get("quit", set())
    tag_actions = {action: keys for action, keys in merged.items() if action.startswith("tag")}
    assert tag_actions, sorted(merged)
    for action, keys in tag_actions.items():
        assert keys - SWALLOWED, action


def test_f_keys_are_only_aliases(all_bindings):
    for (owner, action), keys in _actions(all_bindings).items():
        if keys & {f"f{n}" for n in range(1, 25)}:
            assert keys - SWALLOWED, f"{owner}.{action} is bound only to {sorted(keys)}"


def test_alt_bindings_have_an_escape_prefix_form(all_bindings):
    """Alt+x arrives as ESC x over SSH; Textual maps that back to alt+x (shown on a pty in
    test_terminal_session_pty.py::test_alt_arrives_as_escape_prefix). Here: alt bindings name a
    single printable key, the only form an ESC prefix can produce."""
    for owner, bindings in all_bindings:
        for key, binding in bindings:
            if key.startswith("alt+"):
                rest = key.removeprefix("alt+")
                assert "+" not in rest, f"{owner}: {key} cannot be typed as ESC + one key"


def test_ctrl_c_hint_names_a_key_that_survives_ssh(tmp_path_factory):
    """Reflexive ctrl+c shows how to quit; that hint must not send people to ctrl+q (XON)."""
    import asyncio

    from tui.formats.importer import import_paths
    from tui.store import Store
    from tui.ui.app import AnnotatorApp

    db = tmp_path_factory.mktemp("ctrlc") / "annotations.db"
    with Store.open(db) as store:
        import_paths(store, [SEEDS], annotator="import")

    async def hint() -> list[str]:
        with Store.open(db) as store:
            app = AnnotatorApp(store, annotator="keys")
            notes = Notifications()
            async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
                await pilot.pause()
                await pilot.press("ctrl+c")
                await pilot.pause()
                return notes.messages()

    messages = asyncio.run(hint())
    quit_hints = [m for m in messages if "to quit" in m]
    assert quit_hints, messages
    assert all("ctrl+q" not in m and "ctrl+s" not in m for m in quit_hints), quit_hints
