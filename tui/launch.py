"""The `tui` entry point: opening the app without loading the command-line library.

Plain `tui [--db PATH] [--annotator NAME] [--panes N] [--bidi MODE] [--shaping on|off] [--config PATH]`
is by far the most frequent invocation, and click costs ~15 ms of every start (see BENCHMARKS.md). So
the entry point reads those six options itself when they are all it was given, well-formed, and opens
the app; anything else (a command, --help, --version, an unknown option, a bad value) goes to the click
CLI in tui.cli, which owns every message and error. tests/test_launch.py checks that both read the
same options the same way.
"""

from __future__ import annotations

import os
import sys

from tui.vocabulary import BIDI_MODES, SHAPING_MODES
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.formats.importer import ImportSummary
    from tui.store.target import Target

PANE_RANGE = range(1, 5)
BIDI_CHOICES = BIDI_MODES
SHAPING_CHOICES = SHAPING_MODES
APP_OPTIONS = ("--db", "--annotator", "--panes", "--bidi", "--shaping", "--config", "--candidates", "--as")
"""The options of the bare `tui` command (each takes one value), as click declares them in tui.cli."""


@dataclass
class Settings:
    db: Target  # a SQLite file or a PostgreSQL database (tui.store.target)
    annotator: str
    panes: int | None  # None: the config file decides (the app's default is 2)
    bidi: str | None
    shaping: bool | None
    config: Path | None
    candidates: tuple[str, ...] = ()  # --candidates SOURCE[,SOURCE]: whose spans are offered to accept/reject
    as_annotators: tuple[str, ...] = ()  # --as A[,B]: whose spans each pane shows (others' read-only)


def name_list(value: str | None) -> tuple[str, ...]:
    """`a,b , c` -> ('a', 'b', 'c'): a comma-separated option value, blanks dropped, order kept."""
    if not value:
        return ()
    return tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


NO_ANNOTATOR = ("no annotator name: $USER is not set and this account has no login name. Start with "
                "--annotator NAME (the name stored with every span you make), e.g. tui --annotator alice")


def default_annotator() -> str:
    """$USER, else $LOGNAME, else this account's login name, else "" -- never a made-up name
    (spans would be stored under it): the app then refuses to start without --annotator."""
    name = os.environ.get("USER") or os.environ.get("LOGNAME")
    if not name:
        try:
            import pwd

            name = pwd.getpwuid(os.getuid()).pw_name
        except (ImportError, KeyError, OSError):  # no passwd entry (a container's random uid)
            name = ""
    return name.strip()


def seeds_dir() -> Path | None:
    """The sample corpus: seeds/ beside the package (a source checkout), else ./seeds."""
    for candidate in (Path(__file__).resolve().parents[1] / "seeds", Path.cwd() / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


def parse_app_args(args: list[str]) -> Settings | None:
    """Settings for a plain app start, or None when click must read `args` (anything else)."""
    values: dict[str, str] = {}
    position = 0
    while position < len(args):
        name, equals, value = args[position].partition("=")
        if name not in APP_OPTIONS:
            return None
        if not equals:
            position += 1
            if position == len(args):
                return None
            value = args[position]
        values[name] = value  # a repeated option: the last one wins, as in click
        position += 1
    from tui.store.target import TargetError, parse_target

    try:
        db = parse_target(values.get("--db"))  # no --db: $TUI_DB, else DEFAULT_DB
    except TargetError:
        return None  # click says what is wrong with it
    config = Path(values["--config"]) if "--config" in values else None
    if (isinstance(db, Path) and db.is_dir()) or (config is not None and config.is_dir()):
        return None
    panes = values.get("--panes")
    if panes is not None and not (panes.strip().lstrip("+-").isdigit() and int(panes) in PANE_RANGE):
        return None
    bidi = values.get("--bidi")
    shaping = values.get("--shaping")
    if (bidi is not None and bidi not in BIDI_CHOICES) or (shaping is not None and shaping not in SHAPING_CHOICES):
        return None
    annotator = (values.get("--annotator") or default_annotator()).strip()
    if not annotator:
        return None
    return Settings(db, annotator, None if panes is None else int(panes), bidi,
                    None if shaping is None else shaping == "on", config, name_list(values.get("--candidates")),
                    name_list(values.get("--as")))


def failure_message(exc: BaseException) -> str | None:
    """The one line an expected failure (bad database, bad file, I/O error) is reported as."""
    from tui.formats.errors import ExportError, FormatError
    from tui.safe_text import safe_text
    from tui.store.errors import StoreError

    if isinstance(exc, (StoreError, FormatError, ExportError)):
        return safe_text(str(exc))  # messages quote file names, labels, titles: untrusted
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return safe_text(f"{where}{exc.strerror or exc}")
    return None


def first_run_notice(db: Target | str, summary: ImportSummary) -> str:
    """One short line (it fits the status line at 80 columns): what the first run imported, where."""
    from tui.safe_text import safe_text
    from tui.store.target import PostgresTarget

    articles = summary.documents_added
    name = safe_text(db.dbname or str(db) if isinstance(db, PostgresTarget) else Path(db).name, 30)
    return f"Imported the sample corpus: {articles} article{'s' * (articles != 1)} into {name}."


def open_app(settings: Settings) -> int:
    """Open the database (importing seeds/ into an empty one) and run the app; the exit code."""
    from tui.store.opening import open_target

    notice = None
    with open_target(settings.db) as store:
        if not store.list_documents(limit=1):  # O(1); count(*) reads an index of every document
            seeds = seeds_dir()
            if seeds is not None:
                from tui.formats import import_paths

                summary = import_paths(store, [seeds], annotator="import")
                # Shown in the app (stderr is hidden behind the app's screen until it quits).
                notice = first_run_notice(settings.db, summary)
    from tui.ui.app import run_app

    return int(run_app(settings.db, annotator=settings.annotator, panes=settings.panes, bidi=settings.bidi,
                       shaping=settings.shaping, config_path=settings.config, notice=notice,
                       candidates=settings.candidates, as_annotators=settings.as_annotators) or 0)


def import_the_app() -> None:
    """Import what the app needs before its first frame, then freeze it (`gc.freeze`).

    Imports make long-lived objects (modules, classes, functions: ~70,000 of them), and the cyclic
    collector scans them again and again while they are made (~10 ms of every start): `main` turns it
    off before its first import and back on after this. Frozen, they are left out of every later
    collection too."""
    import gc

    import tui.store.opening  # noqa: F401  (open_app's first import)
    import tui.ui.app  # noqa: F401

    gc.freeze()


def main() -> None:
    import gc

    collecting = gc.isenabled()
    gc.disable()  # while the app is imported (import_the_app); parse_app_args already imports the store
    try:
        settings = parse_app_args(sys.argv[1:])
        if settings is not None:
            import_the_app()
    finally:
        if collecting:
            gc.enable()
    if settings is None:
        from tui.cli import main as cli

        cli()
        return
    try:
        code = open_app(settings)
    except Exception as exc:
        message = failure_message(exc)
        if message is None:
            raise
        print(f"Error: {message}", file=sys.stderr)  # as click reports it
        code = 1
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
