"""Helpers shared by the core-pipeline tests (not a test module).

The package `__init__.py` next to this file keeps test module names unique
(`core.test_cli`), so other test folders may reuse the same file names.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from assistant.index.embed import FakeEmbedder
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"     # under CI the shared folder sits beside the clone
QUESTIONS = ROOT / "evals" / "questions.jsonl"
HCB = Path(sys.executable).parent / "hcb"


def _root_conftest():
    """tests/conftest.py as a module. `import conftest` may name another folder's conftest."""
    path = (ROOT / "tests" / "conftest.py").resolve()
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if f and Path(f).resolve() == path:
            return mod
    spec = importlib.util.spec_from_file_location("hcb_tests_root_conftest", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


require = _root_conftest().require


class CountingEmbedder:
    """Wraps an embedder and counts the texts it is asked to embed."""

    def __init__(self, inner=None):
        self.inner = inner or FakeEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.texts = 0
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


def copy_corpus(dest: Path) -> Path:
    """A private copy of corpus/ that a test may edit."""
    shutil.copytree(CORPUS_DIR, dest)
    return dest


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_document(corpus_dir: Path, doc_id: str) -> None:
    """Remove a document's [[documents]] table from the manifest and delete its file."""
    manifest = corpus_dir / "manifest.toml"
    parts = manifest.read_text(encoding="utf-8").split("\n[[documents]]\n")
    keep = [p for p in parts if f'\nid = "{doc_id}"\n' not in "\n" + p]
    assert len(keep) == len(parts) - 1, f"document {doc_id!r} not found in the manifest"
    manifest.write_text("\n[[documents]]\n".join(keep), encoding="utf-8")
    (corpus_dir / f"{doc_id}.md").unlink()


def hcb(*args, index_dir, embedder: str | None = "fake", corpus_dir=CORPUS_DIR, timeout: float = 180, **env_extra):
    """`hcb ARGS` as a user runs it: a subprocess with only the HCB_* settings given here (plus `env_extra`)."""
    require(HCB.exists(), f"{HCB} not installed (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HCB_")}
    env.update(HCB_INDEX_DIR=str(index_dir), HCB_CORPUS_DIR=str(corpus_dir), HCB_DATA_DIR=str(Path(index_dir) / "data"))
    if embedder:
        env["HCB_EMBEDDER"] = embedder
    env.update(env_extra)
    return subprocess.run([str(HCB), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(p, *needles: str):
    assert p.returncode != 0, p.stdout
    assert "Traceback" not in p.stderr + p.stdout, p.stderr
    lines = [x for x in p.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("error: ")
    for n in needles:
        assert n in lines[0], (n, lines[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerURL(str):
    """The address of a `chroma run` server; `.stop()` and `.start()` it for outage tests (same data, same port)."""

    def __new__(cls, url: str, args: list[str], folder: Path):
        self = super().__new__(cls, url)
        self.args, self.folder, self.proc = args, folder, None
        return self

    def start(self) -> None:
        with (self.folder / "chroma.log").open("ab") as log:
            self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        up, deadline = False, time.monotonic() + 60
        while not up and self.proc.poll() is None and time.monotonic() < deadline:
            try:
                up = httpx.get(f"{self}/api/v2/heartbeat", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        require(up, f"`chroma run` did not start: {(self.folder / 'chroma.log').read_text(errors='replace')[-500:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def chroma_server(folder: Path) -> Iterator[ServerURL]:
    """A real `chroma run` server on a free loopback port, its data under `folder`; stopped on exit."""
    exe = Path(sys.executable).parent / "chroma"
    require(exe.exists(), f"{exe} not installed (pip install chromadb)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = ServerURL(f"http://127.0.0.1:{port}",
                       [str(exe), "run", "--path", str(folder / "chroma-data"), "--port", str(port)], folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def fake_settings_for(index_dir: Path, corpus_dir: Path = CORPUS_DIR, **kw) -> Settings:
    return Settings.from_env(env={}, corpus_dir=corpus_dir, index_dir=index_dir, data_dir=index_dir / "data",
                             embedder="fake", **kw)


# ---------------------------------------------------------------- answers

QUOTE_CITE = re.compile(r"“(.*?)” \[(\d+)\]", re.S)
QUOTED = re.compile(r"“.*?”(?= \[\d+\])", re.S)
CONTRACT_KEYS = {"question", "behaviour", "answer", "statements", "citations", "reason", "detail", "notes", "sides",
                 "retrieval_query", "resolved_as", "timings_ms"}
CITATION_KEYS = {"n", "doc_id", "title", "publisher", "date", "speaker", "url", "page", "quote", "passage"}
MAX_ANSWER_WORDS = 220   # a list's items may run past the word budget


def outside_quotes(text: str) -> str:
    """The answer text with its cited verbatim quotes removed: what the assistant itself wrote."""
    return QUOTED.sub("“”", text)


def unquoted(text: str) -> str:
    """The answer text with every “…” span removed (cited quotes and the abstention's passage snippets)."""
    return re.sub(r"“.*?”", "“”", outside_quotes(text), flags=re.S)


def snippet_problems(text: str, passages: list[str]) -> list[str]:
    """Uncited “…” snippets (an abstention's closest passages) must be word-for-word from a passage."""
    flat = [" ".join(p.split()) for p in passages]
    bad = []
    for snippet in re.findall(r"“(.*?)”", outside_quotes(text), flags=re.S):
        words = " ".join(snippet.rstrip("…").split())
        if words and not any(words in p for p in flat):
            bad.append(f"snippet not from any passage: {words[:60]!r}")
    return bad


def answer_problems(ans, corpus) -> list[str]:
    """Everything wrong with an answer of behaviour "answer" ([] when well formed), read from its structure:
    every statement is a whole, verbatim sentence of its cited passage, spoken by the passage's speaker; one
    citation per statement, numbered 1..n; one answering statement; the text is the renderer's output of the
    statements (one opener per speaker block), never parsed back."""
    from assistant.answering.render import render_text
    from assistant.types import Role
    from assistant.types import speaker_blocks as blocks

    problems = []
    st = list(ans.statements)
    if not st or not ans.citations:
        return ["no statements or no citations"]
    if [s.citation.n for s in st] != list(range(1, len(st) + 1)) or [c.n for c in ans.citations] != [s.citation.n for s in st]:
        problems.append("citation numbers are not 1..n, one per statement")
    if sum(s.role == Role.ANSWER for s in st) != 1:
        problems.append(f"{sum(s.role == Role.ANSWER for s in st)} answering statements (want exactly 1)")
    elif not any(s.role == Role.ANSWER for s in blocks(st)[0]):
        problems.append("the answering statement is not in the first block")
    for s in st:
        c = s.citation
        sentences = {c.chunk.text[a:b] for a, b in c.chunk.sentences}
        if c.quote not in sentences:
            problems.append(f"[{c.n}] is not a whole sentence of its passage: {c.quote[:60]!r}")
        if c.chunk.speaker != c.speaker.id:
            problems.append(f"citation {c.n}: speaker {c.speaker.id!r} is not its passage's speaker {c.chunk.speaker!r}")
        if c.chunk.doc_id != c.document.id:
            problems.append(f"citation {c.n}: document {c.document.id!r} is not its passage's {c.chunk.doc_id!r}")
        if s.answer_span and not (0 <= s.answer_span[0] < s.answer_span[1] <= len(c.quote)):
            problems.append(f"[{c.n}] answer span {s.answer_span} is outside its quote")
        d = c.to_dict()
        for key in ("title", "publisher", "date", "speaker", "passage", "quote"):
            if not d.get(key):
                problems.append(f"citation {c.n} lacks {key}")
    if ans.text != render_text(st):
        problems.append("the text is not the rendering of the statements")
    openers = sum(ans.text.count(f"{b[0].speaker.attribution}:") for b in blocks(st))
    if openers < len(blocks(st)):
        problems.append("a speaker block is not introduced by its speaker's attribution")
    words = len(ans.text.split())
    if words > MAX_ANSWER_WORDS:
        problems.append(f"answer has {words} words (> {MAX_ANSWER_WORDS})")
    return problems
