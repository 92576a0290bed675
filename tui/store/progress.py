"""One annotator's way through the corpus: progress counts and the next article to do.
Used by `Store` (store.progress / store.next_todo); everything here reads, inside `Store._read`."""

from __future__ import annotations

from typing import NamedTuple

from tui.store.dbapi import Connection


class Progress(NamedTuple):
    done: int
    skipped: int
    in_progress: int
    total: int

    @property
    def todo(self) -> int:
        return self.total - self.done - self.skipped


def progress(c: Connection, annotator: str) -> Progress:
    total = c.execute("SELECT count(*) FROM documents").fetchone()[0]
    counts = dict(c.execute(
        "SELECT status, count(*) FROM document_status WHERE annotator = ? GROUP BY status", (annotator,)
    ).fetchall())
    return Progress(counts.get("done", 0), counts.get("skipped", 0), counts.get("in_progress", 0), total)


def next_todo(c: Connection, annotator: str, after: str | None) -> str | None:
    """The first article after `after` (import order, wrapping round) that `annotator` has not
    marked done or skipped; None when there is none besides `after` itself."""
    seq = 0
    if after is not None:
        row = c.execute("SELECT seq FROM documents WHERE id = ?", (after,)).fetchone()
        seq = row[0] if row is not None else 0
    sql = (
        "SELECT d.id FROM documents d WHERE {where} AND NOT EXISTS (SELECT 1 FROM document_status s "
        "WHERE s.document_id = d.id AND s.annotator = :ann AND s.status IN ('done', 'skipped')) "
        "ORDER BY d.seq LIMIT 1"
    )
    for where in ("d.seq > :seq", "d.seq < :seq"):
        row = c.execute(sql.format(where=where), {"seq": seq, "ann": annotator}).fetchone()
        if row is not None:
            return str(row[0])
    return None
