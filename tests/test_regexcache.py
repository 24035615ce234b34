"""book.build.regexcache: a pattern compiled through the cache is the one ``re`` compiles; the cache
file is checked before it is used, and keeps only what recent builds used. Each "build" is a
Python process of its own, since the cache changes ``re`` for the process that installs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PATTERNS = [
    (r"(?P<year>\d{4})[–-](?P<end>\d{2,4})", 0),
    (r"^\s*#+\s+(.*?)\s*$", "M"),
    (r"[^\W\d_][\w'’-]*", 0),
    (r"(?<=\bpp\. )\d+(?:[–-]\d+)?", "I"),
    (r"[\u0400-\u052f\u1c80-\u1c8f]+|[\u2e80-\u9fff]+", 0),
    (rb"%+\r?\n", 0),
]
SAMPLES = ["1689–1727", "  ## Heading  \n", "Pp. 30–31, Nerchinsk’s envoys", "Кяхта 恰克图", "%%%\n"]


def _build(folder: Path, patterns: list[tuple[str | bytes, int | str]]) -> dict[str, object]:
    """Compile ``patterns`` in a new Python process through the cache in ``folder``; what each
    pattern is and matches, and whether the cache was installed and held it beforehand."""
    script = r"""
import json, re, sys
from pathlib import Path
from book import regexcache
regexcache.install(Path(sys.argv[1]))
programs = dict(regexcache._state.get("programs", {}))
results = []
for source, is_bytes, flags in json.loads(sys.argv[2]):
    source = source.encode("latin-1") if is_bytes else source
    flags = re.RegexFlag(0) if not flags else getattr(re, flags)
    pattern = re.compile(source, flags)
    samples = [s.encode("utf-8") if is_bytes else s for s in json.loads(sys.argv[3])]
    matches = [[m.span(), m.groups()] if (m := pattern.search(s)) else None for s in samples]
    results.append({
        "cached": (is_bytes, source, int(flags)) in programs,
        "what": [str(pattern.pattern), int(pattern.flags), pattern.groups, dict(pattern.groupindex)],
        "matches": json.loads(json.dumps(matches, default=lambda b: b.decode("latin-1"))),
    })
regexcache.save()
print(json.dumps({"installed": bool(regexcache._state), "results": results}))
"""
    given = [
        (p.decode("latin-1") if isinstance(p, bytes) else p, isinstance(p, bytes), f or "")
        for p, f in patterns
    ]
    proc = subprocess.run(
        [sys.executable, "-c", script, str(folder), json.dumps(given), json.dumps(SAMPLES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def test_a_cached_pattern_is_the_pattern_re_compiles(tmp_path: Path):
    first = _build(tmp_path, PATTERNS)
    assert first["installed"]
    assert not any(r["cached"] for r in first["results"])  # type: ignore[union-attr]
    again = _build(tmp_path, PATTERNS)
    assert all(r["cached"] for r in again["results"])  # type: ignore[union-attr]
    for made, cached in zip(first["results"], again["results"], strict=True):  # type: ignore[call-overload]
        assert made["what"] == cached["what"] and made["matches"] == cached["matches"]
    assert any(r["matches"] != [None] * len(SAMPLES) for r in again["results"])  # type: ignore[union-attr]


def test_a_damaged_cache_file_is_ignored_and_written_afresh(tmp_path: Path):
    _build(tmp_path, PATTERNS)
    (cache,) = tmp_path.glob("regex-*.marshal")
    data = bytearray(cache.read_bytes())
    data[-10] ^= 0xFF  # one byte of the programs changed: the checksum no longer matches
    cache.write_bytes(bytes(data))
    damaged = _build(tmp_path, PATTERNS)
    assert damaged["installed"] and not any(r["cached"] for r in damaged["results"])  # type: ignore[union-attr]
    assert all(r["cached"] for r in _build(tmp_path, PATTERNS)["results"])  # type: ignore[union-attr]


def test_patterns_no_build_used_lately_are_dropped(tmp_path: Path):
    _build(tmp_path, [*PATTERNS, (r"only once: \d+", 0)])
    for n in range(3):  # three builds without it (each adds a pattern, so each writes the file)
        _build(tmp_path, [*PATTERNS, (f"new {n}", 0)])
    last = _build(tmp_path, [(r"only once: \d+", 0)])
    assert not last["results"][0]["cached"]  # type: ignore[index]
