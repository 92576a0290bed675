"""The Textual internals tui.ui.compat relies on still exist in the installed Textual (an upgrade that
moves one fails here), and the wrappers do what the app needs."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import version

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.ui import compat


@pytest.mark.parametrize(("owner", "attribute"), compat.PRIVATE_ATTRIBUTES)
def test_every_private_attribute_still_exists(owner, attribute):
    module_name, _, class_name = owner.partition(":")
    target = import_module(module_name)
    if class_name:
        target = getattr(target, class_name)
        if not hasattr(target, attribute):  # instance attributes are set in __init__
            source = import_module("inspect").getsource(target.__init__)
            assert f"self.{attribute}" in source, f"{owner}.{attribute} is gone"
            return
    assert hasattr(target, attribute), f"{owner}.{attribute} is gone"


def test_the_pinned_versions_are_the_installed_ones():
    assert version("textual").split(".")[0] == "8" and tuple(map(int, version("textual").split(".")[:2])) >= (8, 2)
    assert version("rich").split(".")[0] == "15"


def test_character_to_key_names_punctuation_as_textual_does():
    assert compat.character_to_key("?") == "question_mark"
    assert compat.character_to_key("[") == "left_square_bracket"


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("x", id="target")


@pytest.mark.anyio
async def test_instance_bindings_reach_the_binding_chain_and_the_driver_is_found():
    app = Host()
    async with app.run_test() as pilot:
        target = app.query_one("#target", Static)
        target.can_focus = True
        compat.add_bindings(target, [Binding("z", "app.bell", "Ring", id="test.ring")])
        target.focus()
        await pilot.pause()
        chain = compat.binding_chain(app.screen)
        assert chain[0][0] is target
        assert [binding.id for _key, binding in chain[0][1]] == ["test.ring"]
        assert compat.driver(app) is not None and callable(compat.driver_writer(app))


@pytest.mark.anyio
async def test_around_suspend_runs_after_the_suspend_and_before_the_resume():
    app = Host()
    calls: list[str] = []
    async with app.run_test() as pilot:
        await pilot.pause()
        found = compat.driver(app)
        assert found is not None
        found.suspend_application_mode = lambda: calls.append("textual suspends")  # type: ignore[method-assign]
        found.resume_application_mode = lambda: calls.append("textual resumes")  # type: ignore[method-assign]
        assert compat.around_suspend(app, after_suspend=lambda: calls.append("restore"),
                                     before_resume=lambda: calls.append("set up"))
        found.suspend_application_mode()
        found.resume_application_mode()
    assert calls == ["textual suspends", "restore", "set up", "textual resumes"]
