"""Suggestions in the app: the offline sources of tui.suggesting shown as candidates.

A suggestion source is on when its candidate source ``suggest:SOURCE`` is among the app's
candidate sources (``S`` toggles them, ``C`` lists them with the others, ``tui --candidates
suggest:dates,suggest:propagate`` starts with them on). For every article a pane opens, and again
after each saved change (a name just tagged is then suggested wherever else it occurs; one whose
last span was deleted is no longer), a thread worker recomputes the article's suggestions and makes
them its candidates of those sources (the same for every annotator: each is offered what they have
neither tagged nor decided on); the pane then redraws them (faint, double underline: ``a`` accepts, ``X`` rejects, ``A`` accepts
all, ``*`` accepts every candidate with the same text and label, ``;``/``,`` next/previous).
Rejections are the candidates' own: recorded per annotator, never offered to them again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from tui.ui.annotation import WRITE_ERRORS, DocumentSession, clean, nothing

if TYPE_CHECKING:
    from tui.store.candidates import NewCandidate
    from tui.store.store import Store
    from tui.ui.writer import WriteResult
    from tui.suggesting import Suggester
    from tui.ui.panes import ArticlePane
    from tui.ui.screens.main import MainScreen

# The names of tui.suggest.engine.SOURCES and tui.suggesting's candidate sources, kept here so the
# main screen does not load the suggestion engine before it is used (a test checks they agree).
SOURCES: tuple[str, ...] = ("dates", "propagate", "patterns", "model")
SOURCE_PREFIX = "suggest:"
CANDIDATE_SOURCES: tuple[str, ...] = tuple(SOURCE_PREFIX + s for s in SOURCES)

DESCRIPTIONS = {
    "dates": "dates — Vietnamese and Arabic date expressions",
    "propagate": "propagate — strings already tagged, wherever else they occur",
    "patterns": "patterns — gazetteers and patterns (tui patterns import)",
    "model": "model — an installed offline model (underthesea, spaCy)",
}

_suggesters: WeakKeyDictionary[Any, Suggester] = WeakKeyDictionary()
"""app -> its Suggester (patterns and the model stay loaded between articles)"""


def active_sources(app: Any) -> list[str]:
    """The suggestion sources that are on ("dates", ...), from the app's candidate sources."""
    chosen = set(getattr(app, "candidate_sources", ()))
    return [s for s in SOURCES if SOURCE_PREFIX + s in chosen]


def suggester(app: Any) -> Suggester:
    from tui.suggesting import Suggester

    found = _suggesters.get(app)
    if found is None:
        found = _suggesters[app] = Suggester(app.store, load_model=True)
    return found


def refresh(screen: MainScreen, pane: ArticlePane) -> None:
    """Compute this pane's suggestions in a thread worker; the app's writer thread then makes them
    the article's suggest:* candidates (in order with every other write), and the pane redraws."""
    app = screen.app
    sources = active_sources(app)
    document = getattr(pane, "document", None)
    session = getattr(pane, "session", None)
    if not sources or document is None or session is None or session.read_only:
        return
    doc_id, own = document.id, session

    def work() -> None:
        from tui.store.candidates import NewCandidate

        try:
            found = suggester(app).for_document(doc_id, sources=sources, everything=True)
        except WRITE_ERRORS as exc:
            app.call_from_thread(pane.report, nothing(f"suggestions not read: {exc}"))
            return
        except Exception as exc:  # a broken pattern or model: say so, keep annotating
            app.call_from_thread(pane.report, nothing(f"suggestions failed: {exc}"))
            return
        by_source = {SOURCE_PREFIX + source: [NewCandidate(doc_id, s.label, s.start, s.end, {"suggest": s.source})
                                                for s in found if s.source == source] for source in sources}
        app.call_from_thread(_store, screen, pane, own, by_source)

    screen.run_worker(work, thread=True, exclusive=True, group=f"suggest-{pane.index}",
                      name=f"suggestions for pane {pane.index}", exit_on_error=False)


def _store(screen: MainScreen, pane: ArticlePane, session: DocumentSession,
           by_source: dict[str, list[NewCandidate]]) -> None:
    """On the UI thread: queue the suggestions' candidates for the writer thread."""
    doc_id = session.doc_id
    writer = getattr(screen.app, "writer", None)
    if writer is None:  # an app without a writer thread (tests of the pane alone)
        try:
            session.replace_suggestions(by_source)
        except WRITE_ERRORS as exc:
            return pane.report(nothing(f"suggestions not stored: {exc}"))
        return _redraw(screen, pane, doc_id)

    def run(store: Store) -> int:
        return DocumentSession(store, doc_id, session.annotator, session.text).replace_suggestions(by_source)

    def done(result: WriteResult[int]) -> None:
        if result.ok:
            _redraw(screen, pane, doc_id)
        elif pane.document is not None and pane.document.id == doc_id:
            pane.report(nothing(f"suggestions not stored: {result.error}"))

    writer.submit(run, "suggestions", done, key=("suggestions", doc_id))


def _redraw(screen: MainScreen, pane: ArticlePane, doc_id: str) -> None:
    if pane.document is not None and pane.document.id == doc_id:
        pane.reload_spans()
        screen.show_status()


def refresh_all(screen: MainScreen) -> None:
    for pane in screen.panes:
        refresh(screen, pane)


def pending_count(pane: ArticlePane) -> int:
    """Candidates still to decide in the pane's article (suggestions and other sources)."""
    return len(getattr(pane, "candidates", ()) or ())


def accept_same_text(pane: ArticlePane) -> None:
    """Accept every pending candidate with the text (folded) and label of the one under the caret,
    in one transaction (one undo takes them all back), through the app's writer thread."""
    from tui.suggest.folding import fold
    from tui.ui import pane_writes

    candidate = pane.candidate_under_caret()
    session = pane.session
    if candidate is None or session is None:
        return pane.report(nothing("no candidate under the caret (; and , jump to the next and previous)"))
    if session.read_only:
        return pane.report(nothing(session.read_only))
    key = fold(candidate.text).text
    same = [c for c in pane.candidates if c.label == candidate.label and fold(c.text).text == key]
    label = clean(candidate.label)
    pane_writes.submit(
        pane, f"accept {len(same)} × {label}",
        lambda s: replace(s.accept_candidates(same, lambda n: f"accepted {n} × {label} with this text; u undoes them all",
                                              "accept all of this text"), excerpt=candidate.text),
        mark=None, key=("accept_same_text", session.doc_id, candidate.label, key), excerpt=candidate.text)


def choose(screen: MainScreen) -> None:
    """Open the suggestion sources screen; apply the choice to the app's candidate sources."""
    from tui.suggest.models import maybe_available
    from tui.ui.screens.suggestion_sources import SuggestionSourcesScreen

    app = screen.tui
    current = [s for s in app.candidate_sources if s.startswith(SOURCE_PREFIX)]

    def chosen(picked: list[str] | None) -> None:
        if picked is not None:
            others = [s for s in app.candidate_sources if not s.startswith(SOURCE_PREFIX)]
            app.candidate_sources = others + picked
            screen.reload_all()
            refresh_all(screen)
            counts = Counter(s[len(SOURCE_PREFIX):] for s in picked)
            screen.last_outcome = nothing("suggestions: " + (", ".join(counts) if counts else "off"))
        screen.show_status()

    app.push_screen(SuggestionSourcesScreen(current, maybe_available()), chosen)
