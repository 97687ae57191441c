"""The installed ``crossbrief`` command, run as a user runs it: in a subprocess, its stdout a
pipe. Only the requested output may reach stdout; C libraries write to file descriptor 1
directly, which an in-process runner (Click's) cannot see."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crossbrief.cli import example_path

from .conftest import ROOT

EXAMPLE = example_path()


def command() -> list[str]:
    """The console script installed beside this interpreter (what `pip install` made)."""
    script = Path(sys.executable).with_name("crossbrief")
    if script.exists():
        return [str(script)]
    found = shutil.which("crossbrief")
    if found is None:
        pytest.skip("the crossbrief console script is not installed beside this Python")
    return [found]


def crossbrief(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
               cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*command(), *args], input=stdin, capture_output=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=600, check=False)


@pytest.fixture(scope="module")
def json_run() -> subprocess.CompletedProcess[bytes]:
    return crossbrief("analyze", str(EXAMPLE), "-f", "json")


def test_json_on_stdout_parses_whole(json_run: subprocess.CompletedProcess[bytes]) -> None:
    assert json_run.returncode == 0, json_run.stderr.decode()
    brief = json.loads(json_run.stdout)  # nothing before or after the document
    assert brief["schema"] == "crossbrief.brief/1"
    assert brief["summary"] and brief["claims"]  # the solver that prints a banner has run
    assert b"HiGHS" not in json_run.stdout + json_run.stderr


def test_json_whole_when_every_article_read_is_dropped(tmp_path: Path) -> None:
    # An article read, then left with nothing after its boilerplate: the run ended while the
    # encoder was still loading in the background, and an import during the interpreter's
    # shutdown printed "Error importing huggingface_hub.repocard: …" on stdout after the
    # JSON (the fuzzing campaign's command-line sample; nlp.prefetch_encoder).
    page = tmp_path / "page.txt"
    page.write_text("Subscribe now\nCookie policy\n", "utf-8")
    result = crossbrief("analyze", str(page), "-f", "json", "-q")
    assert result.returncode == 1, result.stderr.decode()
    brief = json.loads(result.stdout)  # nothing after the document
    assert [s["code"] for s in brief["skipped"]] == ["E106"] and not brief["articles"]


def test_markdown_on_stdout() -> None:
    result = crossbrief("demo", "-f", "md")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"# crossbrief: 6 articles\n")
    assert b"HiGHS" not in result.stdout


def test_html_through_a_pipe(tmp_path: Path) -> None:
    """`crossbrief … -f html > report.html` is a page and nothing else."""
    with (tmp_path / "report.html").open("wb") as out:
        result = subprocess.run([*command(), "demo", "-f", "html"], stdout=out,
                                stderr=subprocess.PIPE, cwd=ROOT, timeout=600, check=False)
    assert result.returncode == 0, result.stderr.decode()
    page = (tmp_path / "report.html").read_bytes()
    assert page.startswith(b"<!DOCTYPE html>") and page.rstrip().endswith(b"</html>")


def test_stdin_as_input() -> None:
    text = (EXAMPLE / "northline-news.html").read_bytes()
    result = crossbrief("analyze", "-", "-f", "json", stdin=text)
    assert result.returncode == 0, result.stderr.decode()
    brief = json.loads(result.stdout)
    assert [a["input"] for a in brief["articles"]] == ["-"]


def test_a_c_library_writing_to_stdout_lands_on_stderr(tmp_path: Path) -> None:
    """Whatever writes to descriptor 1 while the library works (a C library's banner, a
    stray print) goes to stderr; stdout stays the brief alone."""
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(
        "import os\n"
        "import crossbrief.pipeline as p\n"
        "clean = p.STAGES['clean'].func\n"
        "def noisy(article, settings):\n"
        "    os.write(1, b'NOISE FROM C\\n')\n"
        "    print('NOISE FROM PYTHON')\n"
        "    return clean(article, settings)\n"
        "p.STAGES['clean'] = p.STAGES['clean'].__class__(\n"
        "    'clean', noisy, *[getattr(p.STAGES['clean'], f) for f in\n"
        "                     ('requires', 'assigns', 'per_article', 'help')])\n")
    result = crossbrief("analyze", str(EXAMPLE / "northline-news.html"), "-f", "json",
                        env={"PYTHONPATH": os.pathsep.join(
                            [str(tmp_path), os.environ.get("PYTHONPATH", "")])})
    assert result.returncode == 0, result.stderr.decode()
    assert b"NOISE FROM C" in result.stderr and b"NOISE FROM PYTHON" in result.stderr
    json.loads(result.stdout)


def test_an_article_that_breaks_a_stage_is_named_and_the_rest_briefed(tmp_path: Path) -> None:
    """A bug one article triggers skips that article (exit 2, E302 on stderr, the traceback
    only with --verbose); the others are analysed."""
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(
        "import crossbrief.extract.sources as s\n"
        "find = s.find_attributions\n"
        "def fragile(article, index=None):\n"
        "    if article.input.endswith('harbour-courier.html'):\n"
        "        raise ValueError('min() arg is an empty sequence')\n"
        "    return find(article, index)\n"
        "s.find_attributions = fragile\n")
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = crossbrief("analyze", str(EXAMPLE), "-f", "json", env=env)
    assert result.returncode == 2, result.stderr.decode()
    brief = json.loads(result.stdout)
    assert len(brief["articles"]) == 5 and brief["claims"] and brief["summary"]
    [skipped] = brief["skipped"]
    assert skipped["input"].endswith("harbour-courier.html") and skipped["code"] == "E302"
    assert skipped["reason"].startswith("stage 'sources' failed on this article: ValueError: "
                                        "min() arg is an empty sequence")
    stderr = result.stderr.decode()
    assert "harbour-courier.html" in stderr and "[E302]" in stderr
    assert "Traceback" not in stderr

    verbose = crossbrief("analyze", str(EXAMPLE), "-f", "json", "-q", "--verbose", env=env)
    assert verbose.returncode == 2
    assert "Traceback (most recent call last)" in verbose.stderr.decode()
    assert json.loads(verbose.stdout)["skipped"] == brief["skipped"]


def test_a_story_wide_step_that_fails_leaves_its_section_empty(tmp_path: Path) -> None:
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(
        "import crossbrief.timeline as t\n"
        "def broken(corpus):\n"
        "    raise RuntimeError('calendar on fire')\n"
        "t.build_timeline = broken\n")
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    result = crossbrief("demo", "-f", "json", env=env)
    assert result.returncode == 2, result.stderr.decode()
    brief = json.loads(result.stdout)
    assert brief["timeline"] == [] and brief["claims"] and brief["summary"]
    assert [(f["stage"], f["code"]) for f in brief["failures"]] == [("timeline", "E302")]
    assert "RuntimeError: calendar on fire" in brief["failures"][0]["reason"]
    assert "crossbrief: timeline not built:" in result.stderr.decode()
    md = crossbrief("demo", "-f", "md", env=env).stdout.decode()
    assert "## Not built" in md and "calendar on fire" in md


def test_stories_on_a_terminal_pipe_have_no_trailing_spaces() -> None:
    # Indented lines were padded with spaces to the full width: noise in a pipe, a diff, a
    # file. Wrapped lines keep their indent.
    result = crossbrief("stories", str(example_path()), "-f", "term", "--width", "60")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) > 5
    assert [line for line in lines if line != line.rstrip()] == []
    assert all(len(line) <= 60 for line in lines)
    body = [line for line in lines[1:] if line and not line[0].isdigit()]
    assert body and all(line.startswith("   ") for line in body)


def on_a_terminal(*args: str, env: dict[str, str]) -> bytes:
    """What crossbrief writes to standard output when that is a terminal (a pseudo-terminal),
    with ``env`` as its whole environment beyond PATH and PYTHONPATH."""
    main, child = os.openpty()
    keep = {k: os.environ[k] for k in ("PATH", "PYTHONPATH", "HOME") if k in os.environ}
    chunks = []
    with subprocess.Popen([*command(), *args], stdout=child, stderr=subprocess.DEVNULL,
                          stdin=subprocess.DEVNULL, cwd=ROOT, env={**keep, **env}) as process:
        os.close(child)
        while True:  # read as it writes: a full terminal buffer would block it
            try:
                data = os.read(main, 65536)
            except OSError:  # EIO: every writer of the terminal has closed it
                break
            if not data:
                break
            chunks.append(data)
    os.close(main)
    assert process.returncode == 0
    return b"".join(chunks)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_no_color_set_to_nothing_counts_as_unset() -> None:
    # no-color.org: "when present and not an empty string"; an empty NO_COLOR turned colour off
    def colored(env: dict[str, str]) -> bool:
        out = on_a_terminal("stories", str(example_path()), "-f", "term", "--width", "100",
                            env={"TERM": "xterm-256color", **env})
        assert b"stories from 6 articles" in out
        return b"\x1b[" in out

    assert colored({}) and colored({"NO_COLOR": ""})
    assert not colored({"NO_COLOR": "1"})


def test_help_in_a_pipe_is_the_same_whatever_the_terminals_width() -> None:
    # click wraps help to $COLUMNS even in a pipe; piped, it is 80 columns on every machine
    for args in ([], ["analyze"], ["stories"]):
        outputs = {crossbrief(*args, "--help", env={"COLUMNS": columns}).stdout
                   for columns in ("40", "200")}
        assert len(outputs) == 1, args
        lines = outputs.pop().decode("utf-8").splitlines()
        assert "Usage: crossbrief" in lines[0] and max(map(len, lines)) <= 80


def test_a_title_with_line_breaks_stays_on_its_articles_line(tmp_path: Path) -> None:
    records = [{"title": "Bridge closes\n\nafter storm", "source": "Riverton  Press",
                "published": "2024-05-02", "text": "The Riverton bridge closed after the storm "
                "on Thursday, officials said. Repairs will take a week."},
               {"title": "Storm shuts Riverton bridge", "source": "Valley Wire",
                "published": "2024-05-02", "text": "The Riverton bridge was shut on Thursday "
                "after the storm, officials said. Repairs will take a week."}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    result = crossbrief("stories", str(feed), "-f", "term", "--width", "200")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert [line for line in lines if line != line.rstrip()] == []
    assert any("Bridge closes after storm" in line and "feed.jsonl:1" in line for line in lines)
    assert any("Riverton Press" in line for line in lines)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_stdout_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("The city council voted on Monday to close the harbour bridge after "
                    "engineers found cracks, officials said.\n", "utf-8")
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*command(), "stories", str(page)], stdout=full,
                                stderr=subprocess.PIPE, timeout=600, check=False)
    assert result.returncode == 1
    assert result.stderr == (b"crossbrief: error: [E600] cannot write to standard output: "
                             b"No space left on device\n")


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout and /dev/fd")
@pytest.mark.parametrize(("output", "into"), [
    ("/dev/stdout", "stdout"), ("/dev/fd/1", "stdout"), ("report.md", "stdout"),
    ("/dev/stderr", "stderr"),
])
def test_output_to_the_file_stdout_goes_to_keeps_what_is_there(
        tmp_path: Path, output: str, into: str) -> None:
    # `{ echo HEADER; crossbrief analyze … -o /dev/stdout; echo FOOTER; } > report.md` lost
    # HEADER (and `>> log.txt` the log's old lines): the file behind /dev/stdout was replaced
    # by a new one through a rename. The output now goes through the descriptor itself, at
    # its place, as the shell's other commands write.
    page = tmp_path / "a.txt"
    page.write_text("The city council voted on Monday to close the harbour bridge after "
                    "engineers found cracks, officials said.\n", "utf-8")
    report = tmp_path / "report.md"
    report.write_bytes(b"OLD LINE\n")
    with open(report, "ab") as log:
        log.write(b"HEADER\n")
        log.flush()
        streams = {"stdout": log} if into == "stdout" else {"stdout": subprocess.PIPE,
                                                             "stderr": log}
        result = subprocess.run(
            [*command(), "analyze", str(page), "-f", "md", "-q", "-o", output],
            cwd=tmp_path, timeout=600, check=False, **streams)  # type: ignore[call-overload]
        log.write(b"FOOTER\n")
    assert result.returncode == 0
    text = report.read_text("utf-8")
    assert text.startswith("OLD LINE\nHEADER\n") and text.endswith("FOOTER\n")
    assert "harbour bridge" in text


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="file names there are Unicode, never bytes")
def test_a_library_name_that_is_not_utf8_on_a_strict_stdout(tmp_path: Path) -> None:
    # `ingest --db lib\xe9.db` under PYTHONIOENCODING=utf-8:strict wrote the library, then
    # crashed with a UnicodeEncodeError traceback on the summary line that names it.
    page = tmp_path / "a.txt"
    page.write_text("The city council voted on Monday to close the harbour bridge after "
                    "engineers found cracks, officials said.\n", "utf-8")
    db = os.fsdecode(b"lib\xe9.db")
    result = crossbrief("ingest", "a.txt", "--db", db, cwd=tmp_path,
                        env={"PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8").endswith("in lib\\xe9.db)\n")
    assert result.stderr == b""


@pytest.mark.skipif(not Path("/dev/fd/0").exists() or sys.platform == "win32",
                    reason="needs /dev/fd and fcntl")
def test_output_to_a_descriptor_open_for_reading_is_refused_before_the_work(
        tmp_path: Path) -> None:
    # `-o /dev/fd/0 < file` passed the check before the run (the descriptor is open) and
    # failed only after the analysis: it is open for reading only.
    assert _refused_with_a_file_on_stdin(tmp_path, "/dev/fd/0", "{page}") == (
        b"crossbrief: error: [E600] cannot write /dev/fd/0: it is open for reading only\n")


def _refused_with_a_file_on_stdin(tmp_path: Path, output: str, given: str) -> bytes:
    """stderr of `analyze GIVEN -q -f json -o OUTPUT < in.txt` (GIVEN: "-" or "{page}", the
    path of in.txt) run in ``tmp_path``, checked to fail and to leave in.txt as it was."""
    page = tmp_path / "in.txt"  # a copy: the run must leave it as it is
    page.write_text("The city council voted on Monday to close the harbour bridge after "
                    "engineers found cracks, officials said.\n", "utf-8")
    with open(page, "rb") as source:
        result = subprocess.run([*command(), "analyze", given.format(page=page), "-q", "-f",
                                 "json", "-o", output], stdin=source, capture_output=True,
                                cwd=tmp_path, timeout=600, check=False)
    assert result.returncode == 1
    assert page.read_text("utf-8").startswith("The city council")
    return result.stderr


@pytest.mark.skipif(not Path("/dev/stdin").is_symlink() or sys.platform == "win32",
                    reason="needs /dev/stdin as a link, and fcntl")
@pytest.mark.parametrize("via_link", [False, True])
def test_output_to_stdin_does_not_overwrite_the_input(tmp_path: Path, via_link: bool) -> None:
    # `-o /dev/stdin < in.txt` followed the link to in.txt and replaced it (exit code 0).
    output = "/dev/stdin"
    if via_link:
        (tmp_path / "out").symlink_to("/dev/stdin")
        output = str(tmp_path / "out")
    assert _refused_with_a_file_on_stdin(tmp_path, output, "{page}") == (
        f"crossbrief: error: [E600] cannot write {output}: it is open for reading only\n"
    ).encode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs /proc and fstat of a file")
@pytest.mark.parametrize("how", ["fdlink", "thread-self", "name"])
def test_output_that_is_the_stdin_file_is_refused(tmp_path: Path, how: str) -> None:
    # Review R38: `-o fdlink/0 < in.txt` (fdlink -> /proc/self/fd) and
    # `-o /proc/thread-self/fd/0` replaced the input file (exit code 0).
    if how == "fdlink":
        if not Path("/proc/self/fd").is_dir():
            pytest.skip("needs /proc/self/fd")
        (tmp_path / "fdlink").symlink_to("/proc/self/fd")
        output = "fdlink/0"
    elif how == "thread-self":
        if not Path("/proc/thread-self/fd").is_dir():
            pytest.skip("needs /proc/thread-self/fd")
        output = "/proc/thread-self/fd/0"
    else:
        output = "in.txt"
    assert _refused_with_a_file_on_stdin(tmp_path, output, "-") == (
        f"crossbrief: error: [E600] cannot write {output}: the output is the file standard "
        "input reads\n").encode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs symbolic links")
def test_output_to_a_link_loop_is_refused(tmp_path: Path) -> None:
    # Review R38: `-o loop1` (loop1 -> loop2 -> loop1) replaced the link with a file, rc 0.
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    result = crossbrief("analyze", str(EXAMPLE), "-q", "-f", "json", "-o", "loop1",
                        cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (b"crossbrief: error: [E600] cannot write loop1: too many levels "
                             b"of symbolic links\n")
    assert (tmp_path / "loop1").is_symlink()


def test_terminal_text_in_pieces_has_one_byte_order_mark(tmp_path: Path) -> None:
    # Review R38: each story was encoded alone, so under utf-16 each began with a BOM.
    for name, text in [("a.txt", "The city council voted on Monday to close the harbour "
                                 "bridge after engineers found cracks, officials said.\n"),
                       ("b.txt", "Voters in the northern province chose a new governor on "
                                 "Sunday, the electoral commission said.\n")]:
        (tmp_path / name).write_text(text, "utf-8")
    result = crossbrief("stories", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-q",
                        "-f", "term", env={"PYTHONIOENCODING": "utf-16"})
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.count(codecs.BOM_UTF16) == 1
    assert result.stdout.startswith(codecs.BOM_UTF16)
    assert "harbour" in result.stdout.decode("utf-16")


@pytest.fixture(scope="module")
def wide_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("wide") / "a.txt"
    page.write_text("The city council voted on Monday \u2014 after a long night \U0001f600 \u2014 "
                    "to close the harbour bridge after engineers found cracks, officials "
                    "said.\n", "utf-8")
    return page


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_json_and_html_on_stdout_are_utf8_whatever_the_encoding(
        wide_page: Path, fmt: str) -> None:
    # Review R35: under PYTHONIOENCODING=latin-1, `-f json` exited 0 with invalid JSON:
    # the characters latin-1 cannot hold were written as escapes ("\U0001f600").
    result = crossbrief("analyze", str(wide_page), "-f", fmt, "-q",
                        env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert "\u2014" in text and "\\u2014" not in text and "\\U0001f600" not in text
    if fmt == "json":
        assert "\U0001f600" in json.dumps(json.loads(text), ensure_ascii=False)


@pytest.fixture(scope="module")
def ascii_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("ascii") / "a.txt"
    page.write_text("The city council voted on Monday to close the harbour bridge after "
                    "engineers found cracks, officials said.\n", "ascii")
    return page


@pytest.mark.parametrize("encoding", ["latin-1", "ascii:replace"])
def test_markdown_is_utf8_whatever_the_stdout_encoding(ascii_page: Path,
                                                       encoding: str) -> None:
    # An ASCII article failed under latin-1 (E600): the renderer's own "—" could not be
    # encoded, and PYTHONIOENCODING's ":replace" was ignored.
    result = crossbrief("analyze", str(ascii_page), "-f", "md", "-q",
                        env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr.decode()
    assert "\u2014" in result.stdout.decode("utf-8")  # valid UTF-8, the dash itself
    assert result.stderr == b""


@pytest.mark.parametrize("encoding", ["latin-1", "ascii:replace"])
@pytest.mark.parametrize("command_name", ["analyze", "stories"])
def test_terminal_text_is_in_the_stdout_encoding_with_replacements(
        ascii_page: Path, encoding: str, command_name: str) -> None:
    # Terminal text always failed under latin-1 or ascii (its box characters), and stories
    # wrote part of its output before the E600.
    result = crossbrief(command_name, str(ascii_page), "-f", "term", "-q",
                        env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    text = result.stdout.decode(encoding.split(":")[0])  # the stream's encoding, whole
    assert "harbour" in text


def test_terminal_text_keeps_the_streams_own_error_handler(ascii_page: Path) -> None:
    result = crossbrief("analyze", str(ascii_page), "-f", "term", "-q",
                        env={"PYTHONIOENCODING": "ascii:backslashreplace"})
    assert result.returncode == 0, result.stderr.decode()
    assert b"\\u2500" in result.stdout  # "─", as the handler writes it
