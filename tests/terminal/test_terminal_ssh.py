"""Over a real SSH connection (Debian's openssh-server on 127.0.0.1, throwaway keys)."""

from __future__ import annotations

import re
import shlex
import sys

import pytest

from tests.support import REPO, TUI, user_dir_env
from tests.terminal.terminal_harness import base_env


@pytest.mark.quick
def test_sshd_harness_runs_a_command_on_a_remote_tty(sshd, spawn_pty):
    """ssh -t gives the remote command a tty and forwards TERM, as an annotator's session does."""
    remote = f"{shlex.quote(sys.executable)} -c 'import os; print(\"tty\", os.isatty(0), os.environ.get(\"TERM\"))'"
    process = spawn_pty(sshd.ssh_argv(remote), env=base_env("screen-256color"))
    assert process.wait_exit(30) == 0, (process.output, sshd.log.read_text())
    assert b"tty True screen-256color" in process.output


@pytest.mark.quick
def test_tag_an_arabic_word_over_ssh_inside_tmux(sshd, tmux, seeded_db, tmp_path):
    """An annotator's day: tmux, ssh -t to the server, tui, Tab to the Arabic pane, tag a word
    as entity, quit; the database holds the span and text[start:end] is the span's text."""
    from tui.store import Store

    # sshd starts the remote shell with the account's real HOME: the test's own folders go on the
    # command line, or the app would remember where it left off in the real ~/.local/state/tui;
    # and this tree first on the path (the entry point may be an editable install of another checkout)
    assignments = [f"{name}={value}" for name, value in {**user_dir_env(), "PYTHONPATH": str(REPO)}.items()]
    remote = shlex.join(["env", *assignments, str(TUI), "--db", str(seeded_db), "--annotator", "sshtest"])
    raw = tmp_path / "pane-output.bin"
    # The shell reports ssh's exit status on the screen: tmux's own pane_dead_status is sometimes
    # empty for a pane whose ssh client just exited, which made this test flaky.
    wrapped = f"{shlex.join(sshd.ssh_argv(remote))}; echo tui-exit=$?; sleep 60"
    tmux.new_session("ssh", shlex.join(["sh", "-c", wrapped]), cols=100, rows=30)
    tmux.run("pipe-pane", "-t", "ssh", "-o", f"cat >> {shlex.quote(str(raw))}")
    tmux.wait_for("ssh", "ar rtl", timeout=30)
    tmux.wait_stable("ssh")  # keys typed while the app still mounts may land in the first pane
    tmux.send_keys("ssh", "Tab")  # focus the Arabic pane
    tmux.send_keys("ssh", "w")  # next word
    tmux.send_keys("ssh", "e")  # tag it as entity
    screen = tmux.wait_for("ssh", "saved: entity", timeout=15)
    assert re.search(r"ar rtl │ entity 1", screen), screen
    tmux.send_keys("ssh", "q")
    screen = tmux.wait_for("ssh", "tui-exit=", timeout=20)
    assert "tui-exit=0" in screen, screen

    with Store.open(seeded_db) as store:
        arabic = [d for d in store.list_documents(limit=50) if d.language == "ar"]
        spans = [(doc.id, span) for doc in arabic for span in store.spans(doc.id, annotator="sshtest")]
        assert len(spans) == 1, spans
        doc_id, span = spans[0]
        text = store.get_document(doc_id).text
    assert span.label == "entity"
    assert text[span.start:span.end] == span.text
    assert span.text.strip() and all("\u0600" <= ch <= "\u06ff" for ch in span.text), span.text

    # Over SSH only TERM=tmux-256color says "tmux": our sequences went out in tmux's passthrough form.
    output = raw.read_bytes()
    assert b"\x1bPtmux;\x1b\x1b[8l\x1b\\" in output and b"\x1bPtmux;\x1b\x1b[8h\x1b\\" in output
