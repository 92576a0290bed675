"""Making and following links on the main screen (mixed into MainScreen).

L on a span starts a link; Tab to another pane (or stay), put the caret on a span and press L
(or enter); pick the link label (a key per label, enter = the first); escape cancels. With the caret
on a linked span its partners are drawn reversed in every pane, and with "follow links" on (F) the
other panes scroll to show them; P jumps to a partner; K lists the article's links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding

from tui.safe_text import safe_text
from tui.ui import pane_writes
from tui.ui.annotation import WRITE_ERRORS, DocumentSession, Outcome, nothing, quote
from tui.ui.linking import Partner, PendingLink, next_partner

if TYPE_CHECKING:
    from tui.ui.panes import ArticlePane

LINK_BINDINGS = [
    Binding("F", "toggle_follow_links", "follow links", show=False, id="follow_links",
            tooltip="Scroll the other panes to the partners of the linked span under the caret (on/off)"),
]


class LinkingMixin:
    """Link state and actions of the main screen. Expects `panes`, `active`, `tui`, `show_status`,
    `arrange_panes`, `set_focus`, `last_outcome`, `last_options` (MainScreen)."""

    pending_link: PendingLink | None = None
    follow_links: bool = True
    partners: list[Partner] = []
    _last_partner: int | None = None

    # -- making a link -----------------------------------------------------------------------

    def link_key(self, pane: ArticlePane) -> None:
        span = pane.own_span_under_caret()
        pending = self.pending_link
        if pane.document is None:
            return self._say(pane, nothing("no article open"))
        if pending is None:
            if span is None:
                return self._say(pane, nothing("put the caret on a span of yours to start a link"))
            self.pending_link = PendingLink(pane.index, pane.document.id, span.id, span.label, span.text)
            for each in self.panes:  # type: ignore[attr-defined]
                each.refresh_bindings()
            return self._say(pane, nothing(
                "linking from: Tab to the other pane, caret on a span, L or enter (escape cancels)",
                quote(span.text)))
        if span is None:
            return self._say(pane, nothing("no span of yours under the caret: move onto one, or escape"))
        if span.id == pending.span_id:
            return self._say(pane, nothing("that is the span the link starts from: choose another one"))
        from tui.ui.screens.links import LinkLabelScreen, excerpt

        app = self.tui  # type: ignore[attr-defined]
        try:
            labels = app.store.link_labels()
        except WRITE_ERRORS as exc:
            return self._say(pane, Outcome(saved=False, message=f"NOT saved (link): {exc}"))
        head = excerpt(pending.text, app.bidi, app.shaping)
        child = excerpt(span.text, app.bidi, app.shaping)

        def chosen(label: str | None) -> None:
            pane.view.focus()
            if label is None:
                return self._say(pane, nothing("no link made (still linking: escape to stop)"))
            self.pending_link = None
            for each in self.panes:  # type: ignore[attr-defined]
                each.refresh_bindings()
            done = f"linked {safe_text(label, 40)}"
            head_id, child_id = pending.span_id, span.id
            self._submit(pane, done, lambda s: s.add_link(head_id, child_id, label, done, span.text),
                         ("link_add", head_id, child_id), span.text)

        app.push_screen(LinkLabelScreen(labels, head, child), chosen)

    def cancel_link(self) -> None:
        if self.pending_link is not None:
            self.pending_link = None
            for each in self.panes:  # type: ignore[attr-defined]
                each.refresh_bindings()
            self._say(self.panes[self.active], nothing("link cancelled"))  # type: ignore[attr-defined]

    def _submit(self, pane: ArticlePane, done: str, work: Callable[[DocumentSession], Outcome], key: object,
                excerpt_text: str = "") -> None:
        """Queue a link write for the app's writer thread (tui.ui.pane_writes): the status line says
        "… saving" until it is committed, then the pane (and the others) redraw and say so."""
        pane_writes.submit(pane, done, work, key=key, excerpt=quote(excerpt_text))

    def _say(self, pane: ArticlePane, outcome: Outcome) -> None:
        pane.report(outcome)

    # -- following links -----------------------------------------------------------------------

    def update_partners(self) -> None:
        """Partners of the span(s) under the active pane's caret: drawn in every pane, and shown by
        scrolling the other panes when following links."""
        panes: list[ArticlePane] = self.panes  # type: ignore[attr-defined]
        if not panes:
            return
        active = panes[self.active]
        own = {span.id for span in active.own}
        under = [mark.id for mark in active.view.spans_at_caret() if mark.id in own]
        partners = active.link_index.partners(under) if under else []
        self.partners = partners
        ids = frozenset(p.span_id for p in partners)
        for pane in panes:
            pane.show_partners(ids)
        if self.follow_links and partners:
            for pane in panes:
                if pane is active or pane.document is None or not pane.display:
                    continue
                found = [pane.span_by_id(p.span_id) for p in partners if p.document_id == pane.document.id]
                here = [span for span in found if span is not None]
                if here:
                    first = min(here, key=lambda s: s.start)
                    pane.view.show_range(first.start, first.end)

    def action_toggle_follow_links(self) -> None:
        self.follow_links = not self.follow_links
        self.update_partners()
        pane = self.panes[self.active]  # type: ignore[attr-defined]
        self._say(pane, nothing(f"follow links {'on' if self.follow_links else 'off'}"))

    def jump_to_partner(self, pane: ArticlePane) -> None:
        self.update_partners()
        partner = next_partner(self.partners, self._last_partner)
        if partner is None:
            return self._say(pane, nothing("no link from the span under the caret"))
        self._last_partner = partner.span_id
        self._go_to(pane, partner.document_id, partner.span_id)

    def _go_to(self, origin: ArticlePane, doc_id: str, span_id: int) -> None:
        """Put the caret on a span: in the pane showing its article, else open it in another pane."""
        panes: list[ArticlePane] = self.panes  # type: ignore[attr-defined]
        target = next((p for p in panes if p.document is not None and p.document.id == doc_id and p is not origin),
                      None)
        if target is None and origin.document is not None and origin.document.id == doc_id:
            target = origin
        if target is None:
            others = [p for p in panes if p is not origin]
            target = others[0] if others else origin
            target.open_document(doc_id)
        span = target.span_by_id(span_id)
        if span is None:
            return self._say(origin, nothing("the linked span is not there any more (reload?)"))
        remembered = self._last_partner
        if target is not origin:
            self.active = target.index
            self.arrange_panes()  # type: ignore[attr-defined]
            self.set_focus(target.view)  # type: ignore[attr-defined]
        target.view.move_caret_to(span.start)
        self._last_partner = remembered
        self.update_partners()

    # -- the links list ------------------------------------------------------------------------

    def open_links_list(self, pane: ArticlePane) -> None:
        if pane.document is None:
            return self._say(pane, nothing("no article open"))
        from tui.ui.screens.links import ListRow, RowListScreen, excerpt

        app = self.tui  # type: ignore[attr-defined]
        doc_id = pane.document.id

        def rows() -> list[ListRow]:
            try:
                found = app.store.link_rows(annotators=[app.annotator], document_id=doc_id)
            except WRITE_ERRORS as exc:
                return [ListRow(Text(f"could not read the links: {exc}", style="red"), None)]
            result = []
            for row in found:
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append(f"{safe_text(row.link.label, 20):<12}", style="bold")
                prompt.append(f" “{excerpt(row.head.span.text, app.bidi, app.shaping, 24)}”")
                prompt.append(f" {safe_text(row.head.language, 8)}", style="dim")
                prompt.append(" ↔ ")
                prompt.append(f"“{excerpt(row.child.span.text, app.bidi, app.shaping, 24)}”")
                prompt.append(f" {safe_text(row.child.language, 8)}", style="dim")
                prompt.append(f"  {safe_text(row.cluster_id or '—', 60)}", style="italic")
                result.append(ListRow(prompt, row))
            return result

        def go(row: Any) -> bool:
            if row is None:
                return False
            here, there = (row.head, row.child) if row.head.span.document_id == doc_id else (row.child, row.head)
            pane.view.focus()
            span = pane.span_by_id(here.span.id)
            if span is not None:
                pane.view.move_caret_to(span.start)
            self.update_partners()
            if there.span.document_id != doc_id and not any(
                p.document is not None and p.document.id == there.span.document_id for p in self.panes  # type: ignore[attr-defined]
            ):
                others = [p for p in self.panes if p is not pane]  # type: ignore[attr-defined]
                if others:
                    others[0].open_document(there.span.document_id)
                    self.update_partners()
            return True

        def delete(row: Any) -> None:
            if row is not None:
                done = f"deleted link {safe_text(row.link.label, 40)}"
                link_id, text = row.link.id, row.child.span.text
                self._submit(pane, done, lambda s: s.delete_link(link_id, done, text), ("link_delete", link_id), text)

        def relabel(row: Any) -> None:
            if row is None:
                return
            try:
                names = [label.name for label in app.store.link_labels()]
            except WRITE_ERRORS as exc:
                return self._say(pane, Outcome(saved=False, message=f"NOT saved (relabel link): {exc}"))
            new = names[(names.index(row.link.label) + 1) % len(names)] if row.link.label in names else names[0]
            done = f"link {safe_text(row.link.label, 40)} → {safe_text(new, 40)}"
            link_id, text = row.link.id, row.child.span.text
            self._submit(pane, done, lambda s: s.relabel_link(link_id, new, done, text), ("link_relabel", link_id),
                         text)

        def closed(_: None) -> None:
            pane.view.focus()

        title = "Links of this article — label, head ↔ child, cluster"
        app.push_screen(RowListScreen(title, rows, go, [("x", "delete link", delete), ("r", "next label", relabel)],
                                      empty="no links in this article yet: L on a span starts one"), closed)

    def partner_summary(self) -> Text | None:
        """For the status line: what the span under the caret is linked to."""
        if not self.partners:
            return None
        labels = sorted({p.label for p in self.partners})
        text = Text(" │ ")
        text.append(f"↔ {len(self.partners)} ", style="bold")
        text.append(", ".join(safe_text(label, 40) for label in labels))
        if not self.follow_links:
            text.append(" (follow off)", style="dim")
        return text
