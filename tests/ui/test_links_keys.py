"""Links by keys only: tag, link across panes, make a cluster, follow, jump, undo/redo, restart,
delete a linked span (asked first; undo restores both), the links list."""

from __future__ import annotations

import pytest

from tests.ui.ui_helpers import PUTIN_AR, PUTIN_VI, scroll_settled, status_line, tag_both_putins, tag_found, until
from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.bindings import live_actions
from tui.ui.screens.links import ConfirmScreen, LinkLabelScreen, RowListScreen
from tui.ui.screens.main import MainScreen

pytestmark = pytest.mark.anyio

def marks(pane) -> dict[str, tuple[bool, bool]]:
    text = pane.document.text
    return {f"{text[m.start:m.end]}@{m.start}": (m.linked, m.partner) for m in pane.view.spans}


async def link_vi_ar(pilot, app) -> None:
    """On the Vietnamese Putin: L, Tab, (the caret is on the Arabic Putin), L, enter = same_entity."""
    await pilot.press("L")
    await pilot.pause()
    assert "LINKING" in status_line(app)
    await pilot.press("tab", "L")
    await pilot.pause()
    assert isinstance(app.screen, LinkLabelScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_link_across_panes_make_a_cluster_follow_jump_undo_redo_and_restart(seeded_target):
    store = Store.open(seeded_target)
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(110, 20)) as pilot:
        main = app.main_screen()
        vi, ar = main.panes
        assert (vi.document.language, ar.document.language) == ("vi", "ar")
        await tag_both_putins(pilot)
        first_vi = vi.view.caret
        await link_vi_ar(pilot, app)
        links = store.links(annotator="alice")
        assert [link.label for link in links] == ["same_entity"]
        assert {links[0].head_document_id, links[0].child_document_id} == {vi.document.id, ar.document.id}
        assert "✓ saved: linked same_entity" in status_line(app)
        assert main.pending_link is None
        # Both ends carry the linked mark; with the caret on the Arabic end, the Vietnamese one is a partner.
        assert any(linked for linked, _ in marks(vi).values()) and any(linked for linked, _ in marks(ar).values())
        assert any(partner for _, partner in marks(vi).values())

        # A third mention: the next Putin in the Vietnamese article, linked to the Arabic one.
        await pilot.press("tab")
        await tag_found(pilot, PUTIN_VI, "n")
        assert vi.view.caret != first_vi
        await link_vi_ar(pilot, app)
        rows = store.link_rows(annotators=["alice"])
        assert len(rows) == 2 and len({row.cluster_id for row in rows}) == 1  # one cluster of three
        # The Arabic span (caret) has two partners, both drawn in the Vietnamese pane.
        assert sum(partner for _, partner in marks(vi).values()) == 2
        assert "↔ 2" in status_line(app)

        # Follow links: move the Vietnamese pane away, then put the caret back on the Arabic span.
        await pilot.press("shift+tab", "G", "tab")
        bottom = await scroll_settled(pilot, vi.view)
        await pilot.press("left", "right")  # caret moves within the Arabic span: partners re-shown
        await until(pilot, lambda: vi.view.scroll_offset.y < bottom, "the Vietnamese pane did not scroll to the partner")
        await pilot.press("F")  # follow off: no scrolling
        await pilot.press("shift+tab", "G", "tab")
        bottom = await scroll_settled(pilot, vi.view)
        await pilot.press("left", "right")
        await until(pilot, lambda: "follow off" in status_line(app))
        assert await scroll_settled(pilot, vi.view) == bottom
        await pilot.press("F")

        # Jump to a partner, then to the next one.
        await pilot.press("P")
        await pilot.pause()
        assert main.active_pane() is vi
        jumped = vi.view.caret
        assert vi.document.text[jumped:jumped + len(PUTIN_VI)] == PUTIN_VI
        await pilot.press("tab", "P")  # from the Arabic span again: the other partner
        await pilot.pause()
        partner_starts = {span.start for span in store.spans(vi.document.id, "alice")}
        assert main.active_pane() is vi and {jumped, vi.view.caret} == partner_starts

        # Undo and redo the last link from the Arabic pane.
        await pilot.press("tab")
        assert main.active_pane() is ar
        await pilot.press("u")
        await pilot.pause()
        assert len(store.links(annotator="alice")) == 1
        await pilot.press("U")
        await pilot.pause()
        assert len(store.links(annotator="alice")) == 2
        assert sum(partner for _, partner in marks(vi).values()) == 2
    store.close()

    # Restart: the links and their marks are still there.
    store = Store.open(seeded_target)
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(110, 20)) as pilot:
        await pilot.pause()
        vi, ar = app.main_screen().panes
        assert len(store.links(annotator="alice")) == 2
        assert sum(linked for linked, _ in marks(vi).values()) == 2
        assert sum(linked for linked, _ in marks(ar).values()) == 1
    store.close()


async def test_escape_cancels_a_link_and_a_span_cannot_link_to_itself(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(110, 24)) as pilot:
        main = app.main_screen()
        await tag_found(pilot, PUTIN_VI)
        await pilot.press("L", "L")
        await pilot.pause()
        assert "the span the link starts from" in status_line(app)
        await pilot.press("escape")
        await pilot.pause()
        assert main.pending_link is None and "link cancelled" in status_line(app)
        # Escape in the label picker also makes no link.
        await pilot.press("tab")
        await tag_found(pilot, PUTIN_AR)
        await pilot.press("shift+tab", "L", "tab", "L")
        await pilot.pause()
        assert isinstance(app.screen, LinkLabelScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and store.links() == []
        # A label key picks that label.
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert [link.label for link in store.links()] == ["contradicts"]


async def test_deleting_a_linked_span_asks_first_and_undo_restores_span_and_links(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(110, 24)) as pilot:
        await tag_both_putins(pilot)
        await link_vi_ar(pilot, app)
        ar_doc = app.main_screen().panes[1].document.id
        assert app.main_screen().active_pane().document.id == ar_doc
        await pilot.press("x")  # the Arabic span, which has a link
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(store.spans(ar_doc)) == 1 and len(store.links()) == 1
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert store.links() == [] and store.spans(ar_doc) == []
        await pilot.press("u")  # one undo: the span and its link
        await pilot.pause()
        assert len(store.links()) == 1 and len(store.spans(ar_doc)) == 1


async def test_links_list_shows_clusters_jumps_relabels_and_deletes(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(110, 24)) as pilot:
        await tag_both_putins(pilot)
        await link_vi_ar(pilot, app)
        await pilot.press("K")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RowListScreen) and len(screen.values) == 1
        assert screen.values[0].cluster_id.startswith("same_entity-")
        await pilot.press("r")
        await pilot.pause()
        assert [link.label for link in store.links()] == ["same_claim"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("K", "x")
        await pilot.pause()
        assert store.links() == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("u")  # the deletion made in the list undoes like any other
        await pilot.pause()
        assert len(store.links()) == 1


async def test_every_link_action_has_a_key_in_help_and_the_palette(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(110, 24)) as pilot:
        await pilot.pause()
        actions = {a.action: a for a in live_actions(app.screen)}
        for action in ("link", "jump_partner", "links_list", "toggle_follow_links"):
            assert action in actions and actions[action].keys, action
