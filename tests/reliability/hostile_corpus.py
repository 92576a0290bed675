"""Generate a corpus of hostile article files for the reliability tests (issue 5, point 3).

    python tests/reliability/hostile_corpus.py OUTDIR [--big]

writes one file per case into OUTDIR and prints a table of what each case is and what an
import must do with it ("accept": stored safely; "reject": `file:line: reason`, exit 1, the
database unchanged). `--big` (or TUI_BIG=1) makes the large file 50 MB instead of 5 MB.

Every escape sequence carries a unique marker payload (RELMARK...), so a test reading the raw
bytes the app wrote to a terminal can tell the document's sequences from the app's own.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"

# Escape sequences with unique payloads: none of these bytes may reach the terminal.
OSC52_PAYLOAD = base64.b64encode(b"RELMARK52 rm -rf ~").decode()
OSC52 = f"{ESC}]52;c;{OSC52_PAYLOAD}{BEL}"                  # clipboard write
OSC52_ST = f"{ESC}]52;p;{OSC52_PAYLOAD}{ST}"
OSC0_TITLE = f"{ESC}]0;RELMARKTITLE0{BEL}"                  # window + icon title
OSC2_TITLE = f"{ESC}]2;RELMARKTITLE2{ST}"                   # window title
OSC8_LINK = f"{ESC}]8;;https://relmark8.example/x{ST}click me{ESC}]8;;{ST}"  # hyperlink
CSI_SGR = f"{ESC}[5;31;47mRELMARKCSI{ESC}[0m"               # blink red on white
CSI_CLEAR = f"{ESC}[2J{ESC}[H"                              # clear the screen, cursor home
CSI_DSR = f"{ESC}[6n"                                       # device status report (terminal answers)
CSI_TITLE_REPORT = f"{ESC}[21t"                             # title report (old injection vector)
C1_CSI = "\x9b31mRELMARKC1"                                 # 8-bit CSI
C1_OSC = "\x9d0;RELMARKC1TITLE\x9c"                         # 8-bit OSC ... ST
DCS = f"{ESC}Pq#0;2;0;0;0RELMARKDCS{ST}"                    # device control string (sixel)

ESCAPE_SEQUENCES = (OSC52, OSC52_ST, OSC0_TITLE, OSC2_TITLE, OSC8_LINK, CSI_SGR, CSI_CLEAR, CSI_DSR,
                    CSI_TITLE_REPORT, C1_CSI, C1_OSC, DCS)
MARKERS = ("RELMARK52", OSC52_PAYLOAD, "RELMARKTITLE0", "RELMARKTITLE2", "relmark8.example", "RELMARKCSI",
           "RELMARKC1", "RELMARKDCS")

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
C0 = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\n")  # NUL has its own case
C1 = "".join(chr(c) for c in range(0x7f, 0xa0))

MARKUP = (
    "[bold red]RELMARKUP bold red[/bold red] [@click=app.quit]click to quit[/] "
    "[link=https://relmark.example]link[/link] [reverse blink]x[/] :warning: [/] [[escaped]] "
    "\\[not escaped] [on #ff0000]on red[/] $var ${x} {{braces}} %s %d"
)
# "Trojan Source" (CVE-2021-42574): what a reviewer sees differs from the logical order.
TROJAN = (
    'access_level = "user"\n'
    'if access_level != "user\u202e \u2066// Check if admin\u2069 \u2066":\n'
    "    print('You are an admin.')\n"
    "/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\n"
    "\u2067ltr inside an RTL isolate\u2069 and \u202bembedded\u202c \u202doverride\u202c\n"
)
EMOJI_ZWJ = "👨‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍💻 👩‍❤️‍💋‍👨 🇻🇳 🇸🇦 1️⃣ ❤️"
ZALGO = "Z" + "\u0301\u0310\u0352\u0357\u035b\u0346\u033e" * 30 + "a" + "\u0336" * 200 + "lgo"


@dataclass
class Case:
    name: str          # file name
    what: str          # one line for people
    expect: str        # "accept" | "reject"
    reason: str = ""   # for rejects: a word the error message must contain
    line: int | None = None  # for rejects: the line the message must name
    text: str | None = None  # for accepts (.txt): the text the document must be stored as
    tags: list[str] = field(default_factory=list)


def _article(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n\nEnd of article.\n"


def _jsonl(records: list[object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def cases(big: bool | None = None) -> list[tuple[Case, bytes]]:
    """Every hostile case with its file bytes."""
    if big is None:
        big = os.environ.get("TUI_BIG", "") not in ("", "0")
    out: list[tuple[Case, bytes]] = []

    def accept_txt(name: str, what: str, text: str, *, data: bytes | None = None, tags=()) -> None:
        out.append((Case(name, what, "accept", text=text, tags=list(tags)),
                    text.encode("utf-8") if data is None else data))

    def reject(name: str, what: str, data: bytes, reason: str, line: int | None) -> None:
        out.append((Case(name, what, "reject", reason=reason, line=line), data))

    # --- encodings ---------------------------------------------------------------------------
    reject("invalid_utf8.txt", "invalid UTF-8 on line 3 (a lone 0xff, an overlong NUL)",
           b"Title\n\nfine line\nbad \xff byte and \xc0\x80 overlong\n", "UTF-8", 4)
    body = _article("BOM title", "Text after a UTF-8 byte order mark.")
    accept_txt("utf8_bom.txt", "UTF-8 with a byte order mark (dropped on import)", body,
               data=b"\xef\xbb\xbf" + body.encode())
    body16 = _article("UTF-16 title", "Văn bản UTF-16 với BOM. نص عربي")
    accept_txt("utf16_bom.txt", "UTF-16 little-endian with a BOM", body16, data=body16.encode("utf-16"))
    accept_txt("utf16be_bom.txt", "UTF-16 big-endian with a BOM", body16,
               data=b"\xfe\xff" + body16.encode("utf-16-be"))
    reject("nul_bytes.txt", "a NUL byte in the middle of line 2", b"Title\nbefore\x00after\n", "NUL", 2)

    # --- controls and escape sequences ---------------------------------------------------------
    controls = _article("Controls", "C0: <" + C0 + ">\nC1: <" + C1 + ">\nDEL: <\x7f>")
    accept_txt("controls_c0_c1.txt", "every C0 (but NUL and LF) and C1 control, DEL", controls,
               tags=["controls"])
    escapes = _article("Escape sequences", "\n".join(f"seq {i}: <{s}> after" for i, s in enumerate(ESCAPE_SEQUENCES)))
    accept_txt("ansi_escapes.txt", "ANSI CSI/OSC/DCS: OSC 52 clipboard, OSC 0/2 titles, OSC 8 links, C1 CSI",
               escapes, tags=["escapes"])
    accept_txt("markup.txt", "Rich/Textual markup, [@click=app.quit], emoji codes", _article("Markup [b]x[/b]", MARKUP),
               tags=["markup"])

    # --- bidi, invisible, complex clusters -----------------------------------------------------------
    accept_txt("bidi_trojan.txt", "bidi overrides/embeddings/isolates U+202A-E, U+2066-9, Trojan Source",
               _article("Trojan \u202esource\u202c", TROJAN + "all: <" + BIDI_CONTROLS + "> مرحبا \u202eabc\u202c"),
               tags=["bidi"])
    accept_txt("zero_width.txt", "zero-width and invisible format characters",
               _article("Zero\u200bwidth", "a\u200bb\u200cc\u200dd\u2060e\ufefff\u00adg\u180eh <" + ZERO_WIDTH + ">"),
               tags=["format"])
    accept_txt("emoji_zwj.txt", "emoji ZWJ sequences, flags, keycaps", _article("Emoji", EMOJI_ZWJ))
    # Stored NFC (combining marks canonically reordered): the expected text is the NFC form.
    import unicodedata

    accept_txt("combining_stack.txt", "a letter with 210 stacked combining marks (zalgo)",
               unicodedata.normalize("NFC", _article("Zalgo", ZALGO + " " + "e\u0301" * 50)),
               data=_article("Zalgo", ZALGO + " " + "e\u0301" * 50).encode())

    # --- sizes -------------------------------------------------------------------------------------
    unit = "Tổng thống Putin ký hiệp ước. وقع الرئيس الروسي معاهدة. "
    line = unit * (10_000_000 // len(unit.encode()) + 1)
    accept_txt("single_line_10mb.txt", "a 10 MB article that is one single line (mixed LTR/RTL)", line,
               tags=["huge", "single_line"])
    reject("empty.txt", "an empty file", b"", "empty", 1)
    reject("blank.txt", "a file of blank lines and spaces", b"\n   \n\t\n", "empty", 1)
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 16
    reject("binary.txt", "a binary file (PNG header, every byte value)", png, "NUL", 3)
    size = 50_000_000 if big else 5_000_000
    paragraph = ("Thỏa thuận được ký vào tháng 12/2024, quy định cả hai nước phải bảo vệ chủ quyền. "
                 "وقال بوتين إن الوثيقة الجديدة تتضمن ضمانات أمنية لبيلاروسيا.\n")
    big_text = "Big article\n" + paragraph * (size // len(paragraph.encode()) + 1)
    accept_txt(f"big_{size // 1_000_000}mb.txt", f"a {size // 1_000_000} MB article of short paragraphs",
               big_text, tags=["huge"])

    # --- JSONL -------------------------------------------------------------------------------------
    good = {"text": "Putin met Lukashenko in Minsk.", "spans": [{"start": 0, "end": 5, "label": "entity"}]}

    def jsonl_reject(name: str, what: str, bad_line: str, reason: str) -> None:
        # A good record first: a failure on line 2 must not leave line 1 imported.
        reject(name, what, (_jsonl([good]) + bad_line + "\n").encode("utf-8", "surrogatepass"), reason, 2)

    jsonl_reject("bad_json.jsonl", "a line of broken JSON", '{"text": "unterminated', "JSON")
    jsonl_reject("not_object.jsonl", "a JSON array instead of an object", '["text", 1]', "object")
    jsonl_reject("text_not_string.jsonl", '"text" is a number', '{"text": 42}', "string")
    jsonl_reject("spans_not_list.jsonl", '"spans" is a string', '{"text": "abc", "spans": "0-1"}', "list")
    jsonl_reject("offset_float.jsonl", "a float offset",
                 '{"text": "abcdef", "spans": [{"start": 0.5, "end": 2, "label": "entity"}]}', "integer")
    jsonl_reject("offset_bool.jsonl", "a boolean offset",
                 '{"text": "abcdef", "spans": [{"start": true, "end": 2, "label": "entity"}]}', "integer")
    jsonl_reject("label_not_string.jsonl", "a numeric label",
                 '{"text": "abcdef", "spans": [{"start": 0, "end": 2, "label": 7}]}', "label")
    jsonl_reject("span_out_of_range.jsonl", "a span past the end of the text",
                 '{"text": "abcdef", "spans": [{"start": 2, "end": 60, "label": "entity"}]}', "past the end")
    jsonl_reject("span_negative.jsonl", "a negative start",
                 '{"text": "abcdef", "spans": [{"start": -1, "end": 2, "label": "entity"}]}', "negative")
    jsonl_reject("span_end_before_start.jsonl", "end before start",
                 '{"text": "abcdef", "spans": [{"start": 4, "end": 2, "label": "entity"}]}', "not after")
    jsonl_reject("span_text_mismatch.jsonl", "a span whose text does not match its offsets",
                 '{"text": "abcdef", "spans": [{"start": 0, "end": 2, "label": "entity", "text": "zz"}]}',
                 "does not match")
    jsonl_reject("doccano_bad_label.jsonl", "doccano label that is not [s, e, L]",
                 '{"text": "abcdef", "label": [[0, 2]]}', "label")
    jsonl_reject("lone_surrogate_text.jsonl", "a lone surrogate escape in the text",
                 '{"text": "abc \\ud800 def"}', "surrogate")
    jsonl_reject("lone_surrogate_label.jsonl", "a lone surrogate in a label",
                 '{"text": "abcdef", "spans": [{"start": 0, "end": 2, "label": "\\udfff"}]}', "surrogate")
    jsonl_reject("nul_in_json_text.jsonl", "a NUL character (\\u0000) in a JSON text",
                 '{"text": "abc\\u0000def"}', "NUL")
    jsonl_reject("jsonl_invalid_utf8.jsonl", "invalid UTF-8 inside a JSONL line",
                 '{"text": "abc \udcff def"}', "UTF-8")
    jsonl_reject("deep_nesting.jsonl", "JSON nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "JSON")

    dup_text = {"id": 7, "text": "Same id, first text.", "label": [[0, 4, "entity"]]}
    dup_other = {"id": 7, "text": "Same id, another text.", "label": [[0, 4, "entity"]]}
    out.append((Case("duplicate_ids.jsonl", "doccano records sharing an id (and one repeated exactly)", "accept",
                     tags=["jsonl"]), _jsonl([dup_text, dup_other, dup_text]).encode()))
    dup_spans = {"text": "Minsk and Moscow.", "spans": [{"start": 0, "end": 5, "label": "entity"}] * 3}
    out.append((Case("duplicate_spans.jsonl", "the same span three times in one record", "accept", tags=["jsonl"]),
                _jsonl([dup_spans]).encode()))
    hostile_record = {"text": "Hostile " + OSC52 + " " + BIDI_CONTROLS + " " + MARKUP,
                      "spans": [{"start": 8, "end": 8 + len(OSC52), "label": "entity"}],
                      "meta": {"title": "[@click=app.quit]" + OSC0_TITLE}}
    out.append((Case("hostile_record.jsonl", "a JSONL record whose text, span and title carry escapes and markup",
                     "accept", tags=["jsonl", "escapes"]), _jsonl([hostile_record]).encode()))
    return out


def generate(outdir: str | Path, big: bool | None = None) -> list[Case]:
    """Write every case into `outdir` (created); returns the cases in order."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for case, data in cases(big):
        (outdir / case.name).write_bytes(data)
        written.append(case)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", help="folder to write the corpus into")
    parser.add_argument("--big", action="store_true", help="make the large file 50 MB (else 5 MB; or TUI_BIG=1)")
    args = parser.parse_args(argv)
    written = generate(args.outdir, big=True if args.big else None)
    for case in written:
        size = (Path(args.outdir) / case.name).stat().st_size
        print(f"{case.expect:6}  {size:>11,}  {case.name:32}  {case.what}")
    print(f"{len(written)} files in {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
