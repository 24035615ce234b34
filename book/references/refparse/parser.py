"""parse_reference: clean the string, try the recognizers in order, finish the fields."""

from __future__ import annotations

import re
import unicodedata
import warnings

from .debris import REMARK, extract_extras
from .languages import title_language
from .model import Reference, ReferenceWarning, ordered_fields
from .pages import normalise_locator, normalise_pages
from .recognizers import RECOGNIZERS, Candidate
from .roles import apply_roles, extract_roles
from .segments import QUOTES
from .titles import year_ranges
from .vocab import CITE_PREFIX


def finish(ref: Reference, trail: str) -> Reference:
    """Decide whether trailing pages are the work's own range or the citation's locator."""
    if trail:
        if (
            ref.entry_type in ("article", "incollection", "inproceedings")
            and "pages" not in ref.fields
            and ref.kind == "full"
            and re.fullmatch(r"(?:pp?\.?\s*)?\d+\s*[–-]\s*\d+\+?", trail)
        ):
            ref.fields["pages"] = normalise_pages(re.sub(r"^pp?\.?\s*", "", trail))
        elif not ref.locator:
            ref.locator = normalise_locator(trail)
    ref.fields = ordered_fields(ref.fields)
    return ref


def not_a_reference(raw: str, why: str) -> Reference:
    clean = "".join(c if c.isprintable() or c in "\n\t" else " " for c in raw).strip()
    warnings.warn(f"not a reference ({why}): {clean[:80]!r}", ReferenceWarning, stacklevel=3)
    return Reference("misc", {"note": clean} if clean else {}, kind="none", raw=raw, problems=[why])


def parse_reference(text: str) -> Reference:
    """Parse one reference string. Never raises: a string that is not a reference comes back as
    ``kind == "none"`` (a @misc with the raw text in ``note``) and a ``ReferenceWarning``."""
    candidate, prefix, problems, why, roles = _prepare(text)
    if candidate is None:
        return not_a_reference(text, why)
    found = recognize(candidate)
    if found is None:
        return not_a_reference(text, "no recognisable reference")
    ref = found[1]
    ref.remark = ref.fields.pop(REMARK, "") or candidate.extras.get(REMARK, "")
    for name in ("title", "booktitle"):
        if name in ref.fields:
            ref.fields[name] = year_ranges(ref.fields[name])
    if ref.kind == "full":
        apply_roles(ref.fields, roles)
        language = roles.get("langid") or title_language(ref.fields.get("title", ""))
        if language:
            ref.fields["langid"] = language
        ref.fields = ordered_fields(ref.fields)
    ref.raw, ref.prefix = text, prefix
    ref.problems = problems + ref.problems
    year = ref.fields.get("year", "")
    if "isbn" in ref.fields and year.isdigit() and int(year) < 1970:
        ref.problems.append(
            f"ISBN {ref.fields.pop('isbn')} given for a work of {year} (ISBNs date from 1970): not written"
        )
    return ref


def form_of(text: str) -> str:
    """The name of the recognizer that reads ``text`` ("CS1", "Chicago note" ...), or ""."""
    candidate = _prepare(text)[0]
    found = recognize(candidate) if candidate else None
    return found[0] if found else ""


def _prepare(text: str) -> tuple[Candidate | None, str, list[str], str, dict[str, str]]:
    """(candidate, citation prefix, problems, why not a reference, roles)."""
    if not text or not text.strip():
        return None, "", [], "empty", {}
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        return None, "", [], "control characters", {}
    s = re.sub(r"\s+", " ", text.translate(QUOTES)).strip()
    prefix = ""
    pm = CITE_PREFIX.match(s)
    if pm:
        prefix, s = pm.group(1).lower().rstrip(","), s[pm.end() :]
    s, extras, problems, thesis = extract_extras(s)
    s, roles = extract_roles(s)
    if not s:
        return None, prefix, problems, "nothing but identifiers or debris", roles
    return Candidate.from_clean(s, extras, thesis), prefix, problems, "", roles


def recognize(candidate: Candidate) -> tuple[str, Reference] | None:
    """The first recognizer's name and reading of ``candidate``, its trailing locator applied."""
    for recognizer in RECOGNIZERS:
        ref = recognizer.parse(candidate)
        if ref is not None:
            return recognizer.name, (finish(ref, candidate.trail) if recognizer.locates else ref)
    return None


def benchmark(strings: list[str], rounds: int = 1) -> float:
    """Seconds taken to parse ``strings`` ``rounds`` times (for the performance check)."""
    import time

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(rounds):
            for s in strings:
                parse_reference(s)
    return time.perf_counter() - t0
