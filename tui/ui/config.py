"""User settings: a small TOML file, overridden by command-line options.

Location: ``--config PATH``, else ``$XDG_CONFIG_HOME/tui/config.toml``
(``~/.config/tui/config.toml``). Example::

    panes = 2            # 1..4 article panes side by side
    bidi = "app"         # app | terminal | off
    shaping = true       # join Arabic letters (arabic-reshaper)
    snap = "word"        # tagging snaps a selection to whole words ("char": exactly as selected)
    after_done = "ask"   # after m (done): open the next to-do article? ask | always | never
    gold = "gold"        # the reserved annotator review (R, tui review) and tui merge write gold spans as

    [keymap]             # binding id = "key[,key...]"  (see the help screen, `?`)
    tag_entity = "E,1"
    quit = "Q"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.files import user_dir
from tui.vocabulary import BIDI_MODES

SNAP_MODES = ("word", "char")
AFTER_DONE = ("ask", "always", "never")
MAX_PANES = 4


class ConfigError(ValueError):
    """The config file is unreadable or holds a value we cannot use."""


@dataclass(frozen=True)
class Config:
    panes: int = 2
    bidi: str = "app"
    shaping: bool = True
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    snap: str = "word"  # tagging a selection: snap its edges to whole words, or take it exactly
    after_done: str = "ask"  # m (done): open the next to-do article? ask | always | never
    gold: str = "gold"  # the reserved annotator adjudication writes as (review screen)


def default_config_path() -> Path:
    return user_dir("config") / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing default file means defaults, a bad one raises ConfigError."""
    explicit = path is not None
    path = Path(path) if path is not None else default_config_path()
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: config file not found")
        return Config()
    import tomllib  # only when there is a file to read: most starts have none (start-up time)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return _parse(data, path)


def _parse(data: dict, path: Path) -> Config:
    unknown = set(data) - {"panes", "bidi", "shaping", "keymap", "snap", "after_done", "gold"}
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s): {', '.join(sorted(unknown))}")
    panes = data.get("panes", 2)
    if not isinstance(panes, int) or isinstance(panes, bool) or not 1 <= panes <= MAX_PANES:
        raise ConfigError(f"{path}: panes must be an integer from 1 to {MAX_PANES}, not {panes!r}")
    bidi = data.get("bidi", "app")
    if bidi not in BIDI_MODES:
        raise ConfigError(f"{path}: bidi must be one of {', '.join(BIDI_MODES)}, not {bidi!r}")
    shaping = data.get("shaping", True)
    if not isinstance(shaping, bool):
        raise ConfigError(f"{path}: shaping must be true or false, not {shaping!r}")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keymap.items()
    ):
        raise ConfigError(f'{path}: [keymap] entries must look like  binding_id = "key[,key]"')
    snap = data.get("snap", "word")
    if snap not in SNAP_MODES:
        raise ConfigError(f"{path}: snap must be one of {', '.join(SNAP_MODES)}, not {snap!r}")
    after_done = data.get("after_done", "ask")
    if after_done not in AFTER_DONE:
        raise ConfigError(f"{path}: after_done must be one of {', '.join(AFTER_DONE)}, not {after_done!r}")
    gold = data.get("gold", "gold")
    if not isinstance(gold, str) or not gold.strip():
        raise ConfigError(f"{path}: gold must be an annotator name, not {gold!r}")
    return Config(panes=panes, bidi=bidi, shaping=shaping, keymap=dict(keymap), path=path, snap=snap,
                  after_done=after_done, gold=gold.strip())
