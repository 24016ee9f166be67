"""Helpers shared by the core-pipeline tests (not a test module).

The package `__init__.py` next to this file keeps test module names unique
(`core.test_cli`), so other test folders may reuse the same file names.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(folder: Path):
    """A real `chroma run` server on a free loopback port, data under `folder`; yields its URL."""
    exe = Path(sys.executable).parent / "chroma"
    require(exe.exists(), f"{exe} not installed (pip install chromadb)")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "chroma.log").open("wb")
    proc = subprocess.Popen([str(exe), "run", "--path", str(folder / "chroma-data"), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    try:
        up, deadline = False, time.monotonic() + 60
        while not up and proc.poll() is None and time.monotonic() < deadline:
            try:
                up = httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        log.flush()
        require(up, f"`chroma run` did not start: {(folder / 'chroma.log').read_text(errors='replace')[-500:]}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


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


def fake_settings_for(index_dir: Path, corpus_dir: Path = CORPUS_DIR, **kw) -> Settings:
    return Settings.from_env(env={}, corpus_dir=corpus_dir, index_dir=index_dir, data_dir=index_dir / "data",
                             embedder="fake", **kw)


# ---------------------------------------------------------------- answers

QUOTE_CITE = re.compile(r"“(.*?)” \[(\d+)\]", re.S)
QUOTED = re.compile(r"“.*?”(?= \[\d+\])", re.S)
CONTRACT_KEYS = {"question", "behaviour", "answer", "citations", "timings_ms"}
CITATION_KEYS = {"n", "doc_id", "title", "publisher", "date", "speaker", "url", "page", "quote", "passage"}
MAX_ANSWER_WORDS = 150


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
    """Everything wrong with an answer of behaviour "answer" built from retrieved passages ([] when well formed)."""
    problems = []
    text = ans.text
    cites = {c.n: c for c in ans.citations}
    if not ans.citations:
        problems.append("no citations")
    if sorted(cites) != list(range(1, len(ans.citations) + 1)):
        problems.append(f"citation numbers are not 1..n: {sorted(cites)}")
    quoted = QUOTE_CITE.findall(text)
    if not quoted:
        problems.append("no quote “…” [n] in the answer")
    for span, n in quoted:
        c = cites.get(int(n))
        if c is None:
            problems.append(f"[{n}] has no citation")
            continue
        if span not in c.chunk.text:
            problems.append(f"quote [{n}] is not verbatim in its passage: {span[:60]!r}")
        if c.quote != span:
            problems.append(f"citation {n}.quote differs from the quoted text")
    used = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    if used != set(cites):
        problems.append(f"markers {sorted(used)} do not match citations {sorted(cites)}")
    openers = {s.attribution for s in corpus.speakers.values()} | {s.again for s in corpus.speakers.values()}
    current = None   # speaker of the last attributed line: list items below it must be that speaker's
    for line in outside_quotes(text).split("\n"):
        if not line.strip():
            continue
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        if not markers:
            problems.append(f"line without a [n] marker: {line[:60]!r}")
            continue
        c = cites.get(markers[0])
        opener = next((o for o in openers if line.startswith(o + ": “”")), None)
        if opener is not None:
            if c is not None and opener not in (c.speaker.attribution, c.speaker.again):
                problems.append(f"[{markers[0]}] is attributed with {opener!r}, not its speaker {c.speaker.id!r}")
            current = c.speaker.id if c is not None else None
        elif re.fullmatch(r"- “” \[\d+\]", line):
            if current is None or (c is not None and c.speaker.id != current):
                problems.append(f"list item [{markers[0]}] is not under an attribution of its own speaker")
        else:
            problems.append(f"line neither opens with a speaker attribution nor is a quoted list item: {line[:60]!r}")
    for c in ans.citations:
        d = c.to_dict()
        for key in ("title", "publisher", "date", "speaker", "passage", "quote"):
            if not d.get(key):
                problems.append(f"citation {c.n} lacks {key}")
        if d["passage"] != c.chunk.text or d["quote"] not in d["passage"]:
            problems.append(f"citation {c.n}: passage/quote mismatch")
        if c.chunk.speaker != c.speaker.id:
            problems.append(f"citation {c.n}: speaker {c.speaker.id!r} is not its passage's speaker {c.chunk.speaker!r}")
        if c.chunk.doc_id != c.document.id:
            problems.append(f"citation {c.n}: document {c.document.id!r} is not its passage's {c.chunk.doc_id!r}")
    words = len(text.split())
    if words > MAX_ANSWER_WORDS:
        problems.append(f"answer has {words} words (> {MAX_ANSWER_WORDS})")
    return problems
