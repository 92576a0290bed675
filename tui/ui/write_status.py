"""The status line's part about writes: pending actions, lock waits, a failure not yet seen.

Kept out of the main screen so the rules are in one place:
- `… saving: entity “Hà Nội”` while the writer has actions queued (`+2 queued`), with
  `waiting 4 s for the database (another program holds its lock)` once a lock holds it up;
- while quitting with actions pending: what it waits for, and that `q` again leaves them unsaved;
- a failure stays (`✗ NOT saved (…)`) until the same action succeeds or escape dismisses it,
  so a later action's `✓ saved` never hides it;
- a damaged database: nothing is written any more, say so;
- a lost connection to the database server: `✗ connection to the database lost: … — N action(s)
  NOT saved yet, reconnecting`; they stay pending and are saved, in order, once it is back.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui.safe_text import safe_text
from tui.ui.annotation import Outcome

WAIT_SHOWN_AFTER = 1.0
"""Seconds a write waits for a lock before the status line says so."""


def writes_segment(writer: Any, *, quitting: bool, failure: Outcome | None, last: Outcome | None) -> Text:
    """What the status line says about writes (empty Text when there is nothing to say)."""
    line = Text()
    if writer is None:
        return line
    pending = writer.pending
    if getattr(writer, "damaged", None):
        line.append(" │ ")
        line.append("✗ database damaged: nothing is saved (see the message)", style="bold red reverse")
    disconnected = getattr(writer, "disconnected", None)
    if disconnected:  # the count first: at 80 columns the server's words are what gets cut
        line.append(" │ ")
        line.append(f"✗ {len(pending)} action(s) NOT saved yet: connection to the database lost, reconnecting"
                    if pending else "✗ connection to the database lost, reconnecting", style="bold red reverse")
        detail = disconnected.removeprefix("connection to the database lost: ")
        line.append(" (" + safe_text(detail, 80) + ")", style="red")
    if pending:
        line.append(" │ ")
        if quitting:
            line.append(f"quitting once {len(pending)} action(s) are saved — q again quits WITHOUT them",
                        style="bold yellow reverse")
            line.append(" ")
        line.append("… saving: ", style="bold yellow")
        line.append(safe_text(pending[0].description, 40))
        if len(pending) > 1:
            line.append(f" +{len(pending) - 1} queued", style="yellow")
        waited = writer.waiting()
        if waited >= WAIT_SHOWN_AFTER:
            line.append(f" — waiting {waited:.0f} s for the database (another program holds its lock)",
                        style="bold yellow")
    if failure is not None and failure is not last:
        line.append(" │ ")
        line.append("✗ " + safe_text(failure.message, 60), style="bold red reverse")
        line.append(" (esc: dismiss)", style="dim")
    return line


def still_failing(failure: Outcome | None, outcome: Outcome) -> Outcome | None:
    """The failure to keep showing after `outcome`: a new failure replaces it; the same
    action's success clears it; anything else leaves it."""
    if outcome.changed and not outcome.saved:
        return outcome
    if failure is not None and outcome.saved and outcome.key is not None and outcome.key == failure.key:
        return None
    return failure
