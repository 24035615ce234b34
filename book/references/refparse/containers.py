"""What follows a title: a journal, a collection, a book's publication data, CS1 segments."""

from __future__ import annotations

import re

from .dates import parse_date, set_date
from .model import Reference
from .names import parse_names
from .pages import normalise_locator, normalise_pages
from .publishers import classify_publisher, pub_paren
from .segments import split_segments
from .titles import take_edition, title_end, title_volume
from .vocab import PERIODICAL_WORD, YEAR


def _cut(text: str, m: re.Match[str]) -> str:
    return text[: m.start()] + " " + text[m.end() :]


def _journal_date(tail: str, f: dict[str, str]) -> str | None:
    """Take "(2010)" or "(May 2010)" out of a journal tail; None if the brackets hold no year."""
    ym = re.search(r"\(([^()]*\d{4}[^()]*)\)", tail)
    if not ym:
        return tail
    year, iso = parse_date(ym.group(1))
    if not year:
        return None
    f["year"] = year
    written = " ".join(ym.group(1).split())
    if re.search(r"\b(?:Spring|Summer|Fall|Autumn|Winter)\b|\d{4}\s*[–—-]\s*\d{2,4}", written):
        f["date"] = written  # an issue's season or span ("Fall 2007—Winter 2008"), kept as written
    elif iso and "—" not in written:
        f["date"] = iso
    return _cut(tail, ym)


def _journal_pages(tail: str, f: dict[str, str]) -> tuple[str, str]:
    """Take ": 341–356[, 350]", "pp. 3–9" or ", 45–67" off a journal tail: (tail, locator)."""
    pm = re.search(r"(?::|\bpp?\.)\s*(\d+\s*(?:[–-]\s*\d+)?\+?)(?:\s*,\s*(\d+(?:\s*[–-]\s*\d+)?))?\s*$", tail)
    if pm:
        f["pages"] = normalise_pages(pm.group(1))
        return tail[: pm.start()], normalise_locator(pm.group(2)) if pm.group(2) else ""
    pm = re.search(r",\s*(\d+\s*[–-]\s*\d+)\s*$", tail)
    if pm:
        f["pages"] = normalise_pages(pm.group(1))
        return tail[: pm.start()], ""
    return tail, ""


def journal_tail(after: str, fields: dict[str, str], have_year: bool = False) -> tuple[bool, str]:
    """Parse "Journal 43#3 (2010): 341–356", "Journal (2014) 42#4", "J, vol. 4, no. 2, 2001,
    pp. 3–9", "J 12, no. 3 (2001): 45–67, 52", "J, 12(3), 45–67" ... Returns (ok, locator)."""
    a = after.strip().rstrip(".").strip()
    m = re.match(r"^(?P<j>[^\d(]*?[^\d(\s,.])[\s,.]*(?P<tail>(?:\b(?:vol|no|nos|Vol|No)\.|\d|\().*)$", a)
    if not m:
        return False, ""
    journal = m.group("j").strip()
    f: dict[str, str] = {}
    tail = _journal_date(m.group("tail"), f)
    if tail is None:
        return False, ""
    nm = re.search(r"\bnos?\.\s*(\d+(?:\s*[–-]\s*\d+)?)", tail, re.I)
    if nm:
        f["number"] = nm.group(1).replace("-", "–")
        tail = _cut(tail, nm)
    tail, locator = _journal_pages(tail, f)
    if "year" not in f:
        y2 = re.search(rf",\s*({YEAR})\b", tail)
        if y2:
            f["year"] = y2.group(1)
            tail = _cut(tail, y2)
        elif not (have_year and ("pages" in f or re.search(r"\d+\s*\(\d+\)", tail))):
            return False, ""
    vm = re.search(
        r"(?:^|\s|,)(?:vol\.\s*)?(\d+)\s*(?:[.#]\s*(\d+)|\((\d+[–-]?\d*)\))?(?=[\s,:]|$)", tail, re.I
    )
    if vm:
        f["volume"] = vm.group(1)
        if vm.group(2) or vm.group(3):
            f["number"] = vm.group(2) or vm.group(3)
    if not journal:
        return False, ""
    fields["journal"] = journal
    fields.update(f)
    return True, locator


def _pubinfo(text: str, fields: dict[str, str]) -> None:
    """Publication data after a collection's title: "(Place: Pub, 1978), 35–106", "Pub, 2001"."""
    text = text.strip().strip(".,").strip()
    pm = re.match(r"^\(([^()]*)\)(.*)$", text)
    if pm:
        pub_paren(pm.group(1), fields)
        text = pm.group(2)
    text = text.strip().strip(".,").strip()
    pg = re.match(r"^(?:pp?\.\s*)?(\d+\s*[–-]\s*\d+)[.,]?\s*(.*)$", text)
    if pg:
        fields["pages"] = normalise_pages(pg.group(1))
        text = pg.group(2)
    text = text.strip().strip(".,").strip()
    if text:
        cm = re.fullmatch(rf"(.*?)[,.]?\s*({YEAR})", text)
        if cm:
            fields["year"] = cm.group(2)
            classify_publisher(cm.group(1), fields)
        else:
            classify_publisher(text, fields)


def _volume_in_editors(rest: str, fields: dict[str, str]) -> bool:
    """ "Book, Vol 1 in Eds, eds. (2010)"."""
    m = re.fullmatch(
        r"(?P<book>.+?),\s*(?:Vol\.?|Volume)\s*(?P<vol>\d+)\s+in\s+(?P<eds>.+?),\s*eds?\.\s*(?P<pub>.*)", rest
    )
    editors = parse_names(m.group("eds")) if m else None
    if not m or not editors:
        return False
    fields.update(booktitle=m.group("book").strip(), volume=m.group("vol"), editor=editors)
    _pubinfo(m.group("pub"), fields)
    return True


def _apa_editors(rest: str, fields: dict[str, str]) -> bool:
    """APA: "Eds (Eds.), Book (pp. 3–9). Pub."."""
    m = re.fullmatch(
        r"(?P<eds>[^()]+?)\s*\((?:Eds?|eds?)\.?\)[.,]\s*(?P<book>.+?)\s*\(pp\.\s*(?P<pages>[^)]+)\)\.?\s*(?P<pub>.*)",
        rest,
    )
    editors = parse_names(m.group("eds")) if m else None
    if not m or not editors:
        return False
    fields.update(booktitle=m.group("book").strip(), editor=editors, pages=normalise_pages(m.group("pages")))
    _pubinfo(m.group("pub"), fields)
    return True


def _cs1_editors(rest: str, fields: dict[str, str]) -> bool:
    """CS1: "Eds (ed.). Book. Publisher."."""
    m = re.fullmatch(r"(?P<eds>[^()]+?)\s*\((?:eds?|Eds?)\.\)\.\s*(?P<rest>.+)", rest)
    editors = parse_names(m.group("eds")) if m else None
    if not m or not editors:
        return False
    segs = split_segments(m.group("rest"))
    fields.update(booktitle=segs[0], editor=editors)
    for seg in segs[1:]:
        if re.fullmatch(r"pp?\.\s*\d+\s*[–-]\s*\d+", seg):
            fields["pages"] = normalise_pages(re.sub(r"^pp?\.\s*", "", seg))
        else:
            classify_publisher(seg, fields)
    return True


def _editors_then_book(rest: str, fields: dict[str, str]) -> bool:
    """ "Eds, eds. Book (1978)"."""
    m = re.fullmatch(r"(?P<eds>[^.\"]+?),\s*eds?\.\s+(?P<book>.+?)\.?\s*(?P<pub>\([^()]*\))?\s*", rest)
    if m and re.match(r"(?:The|A|An)\s", m.group("eds")):
        return False  # "The Black Death, ed. Rosemary Horrox": a book, then its editor
    editors = parse_names(m.group("eds")) if m else None
    if not m or not editors:
        return False
    fields.update(booktitle=m.group("book").strip().rstrip("."), editor=editors)
    if m.group("pub"):
        _pubinfo(m.group("pub"), fields)
    return True


def _book_edited_by(rest: str, fields: dict[str, str]) -> bool:
    """ "Book, edited by Eds (Place: Pub, 1978), 35–106", "Book, vol. 2, ed. Eds"."""
    m = re.fullmatch(
        r"(?P<book>.+?),\s*(?:ed\.|edited by)\s+(?P<eds>[^(,]+?)(?:\s*(?P<paren>\([^()]*\)))?(?:,\s*(?P<tail>.*))?",
        rest,
    )
    editors = parse_names(m.group("eds")) if m else None
    if not m or not editors:
        return False
    book = m.group("book").strip()
    vm = re.search(r",\s*(?:vol\.|volume)\s*(\d+)$", book, re.I)
    if vm:
        fields["volume"], book = vm.group(1), book[: vm.start()]
    fields.update(booktitle=book, editor=editors)
    tail = m.group("tail") or ""
    _pubinfo(m.group("paren") + " " + tail if m.group("paren") else tail, fields)
    return True


_COLLECTION_FORMS = (_volume_in_editors, _apa_editors, _cs1_editors, _editors_then_book, _book_edited_by)


def collection_tail(after: str, fields: dict[str, str]) -> bool:
    """Parse what follows a chapter title: "in Eds, eds. Book (1978)", "in Book, Vol 1 in
    Eds, eds. (2010)", "In Book, edited by Eds (Place: Pub, 1978), 35–106", APA "In Eds (Eds.),
    Book (pp. 3–9). Pub.", CS1 "In Eds (ed.). Book. Pub."."""
    m = re.match(r"^[Ii]n:?\s+(?P<rest>.+)$", after.strip().rstrip("."))
    return m is not None and any(form(m.group("rest"), fields) for form in _COLLECTION_FORMS)


def _newspaper(after: str, fields: dict[str, str]) -> str:
    """ "New York Times, May 15, 2014" (article) or "Site, 3 May 2019" (online); "" if neither."""
    dm = re.fullmatch(
        r"(?P<c>[^\d]+?),\s+(?P<d>[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})\.?",
        after,
    )
    if not dm or not parse_date(dm.group("d"))[1]:
        return ""
    set_date(fields, dm.group("d"))
    if PERIODICAL_WORD.search(dm.group("c")):
        fields["journal"] = dm.group("c").strip()
        return "article"
    fields["organization"] = dm.group("c").strip()
    return "online"


def _container_segments(segs: list[str], fields: dict[str, str]) -> tuple[bool, bool]:
    """Volume, issue, pages and date from the segments after a container's name: (whether they
    make it a periodical, whether they gave a date)."""
    periodical = dated = False
    for seg in segs:
        vm = re.fullmatch(r"(\d+)\s*(?:\((\w+)\))?\s*(?::\s*(\d+\s*(?:[–-]\s*\d+)?))?", seg)
        if vm and (vm.group(2) or vm.group(3)):
            fields["volume"] = vm.group(1)
            if vm.group(2):
                fields["number"] = vm.group(2)
            if vm.group(3):
                fields["pages"] = normalise_pages(vm.group(3))
            periodical = True
        elif re.fullmatch(r"pp?\.\s*\S+", seg):
            pass
        elif parse_date(seg)[0] and len(seg) <= 20:
            set_date(fields, seg)
            dated = True
    return periodical, dated


def after_quoted_title(title: str, after: str, fields: dict[str, str]) -> tuple[str, str]:
    """Entry type and locator for a quoted title followed by a container."""
    fields["title"] = title
    after = after.strip().lstrip(",.").strip()
    if not after:
        web = "url" in fields or "urldate" in fields or fields.get("note", "").startswith("archived")
        return ("online" if web else "misc"), ""
    if re.match(r"^[Ii]n:?\s", after) and collection_tail(after, fields):
        return "incollection", ""
    etype = _newspaper(after, fields)
    if etype:
        return etype, ""
    ok, loc = journal_tail(after, fields, have_year="year" in fields)
    if ok:
        return "article", loc
    # CS1 / web: "Journal. 10 (2): 147–158.", "Paper. 25 Sep 1951.", "Website."
    segs = split_segments(after)
    container = segs[0].strip().rstrip(",")
    periodical, dated = _container_segments(segs[1:], fields)
    periodical = periodical or bool(PERIODICAL_WORD.search(container))
    if "issn" in fields or periodical or (dated and PERIODICAL_WORD.search(container)):
        fields["journal"] = container
        return "article", ""
    if container:
        fields["organization"] = container
    return "online", ""


def book_tail(rest: str, fields: dict[str, str]) -> tuple[str, str]:
    """An unquoted title with publication data: "Title (Place, Year)", "Title (Series) (Year)
    annotation", "Title. Place: Publisher, Year.", "Title (Year)". Returns (type, annotation)."""
    rest = rest.strip()
    m = re.fullmatch(r"(?P<title>.+?)\s*(?P<groups>(?:\([^()]*\)[\s.,]*)+)(?P<tail>[^()]*)", rest)
    if m and re.search(r"\d{4}", m.group("groups")):
        groups = re.findall(r"\(([^()]*)\)", m.group("groups"))
        title = m.group("title").strip().rstrip(".,").strip()
        series = [g for g in groups[:-1]]
        if not pub_paren(groups[-1], fields):
            return "", ""
        if series:
            sm = re.fullmatch(r"(?:Volume|Vol\.?|No\.?)\s*(\d+)\s+of\s+(.+)", series[0].strip())
            if sm:
                fields["series"], fields["number"] = sm.group(2).strip(), sm.group(1)
            else:
                fields["series"] = series[0].strip()
        fields["title"] = title_volume(title, fields)
        return "book", m.group("tail").strip(" ,.;")
    segs = split_segments(rest)
    if len(segs) >= 2:
        pm = re.fullmatch(rf"(?P<pub>.+?),\s*(?P<year>{YEAR})", segs[-1].strip().rstrip("."))
        if pm:
            fields["title"] = title_volume(". ".join(segs[:-1]).strip(), fields)
            fields["year"] = pm.group("year")
            classify_publisher(pm.group("pub"), fields)
            return "book", ""
    m = re.fullmatch(rf"(?P<title>.+?),\s*(?P<year>{YEAR})\.?", rest)
    if m:
        fields["title"] = m.group("title").strip()
        fields["year"] = m.group("year")
        return "book", ""
    return "", ""


def _cs1_title(segs: list[str], fields: dict[str, str]) -> int:
    """Editors "Eds (ed.)." and the title from the first segments; the index after them."""
    i = 0
    m = re.fullmatch(r"(.+?)\s*\((?:eds?|Eds?)\.\)", segs[0])
    if m and len(segs) > 1:
        eds = parse_names(m.group(1))
        if eds:
            fields["editor"] = eds
            i = 1
    if i < len(segs):
        fields["title"] = title_volume(take_edition(segs[i], fields), fields)
        i += 1
    return i


def _cs1_publication(segs: list[str], fields: dict[str, str]) -> None:
    """Series, date and publisher from the segments after a CS1 book title."""
    for seg in segs:
        sm = re.fullmatch(r"\((?:Volume|Vol\.?|No\.?)\s*(\d+)\s+of\s+(.+)\)", seg)
        if sm:
            fields["series"], fields["number"] = sm.group(2).strip(), sm.group(1)
        elif re.fullmatch(r"\(([^()]+)\)", seg):
            fields["series"] = seg.strip("()")
        elif re.fullmatch(rf"{YEAR}", seg) or (parse_date(seg)[1] and len(seg) <= 20):
            if "year" not in fields:
                set_date(fields, seg)
        elif not re.fullmatch(r"pp?\.\s*.+", seg):
            classify_publisher(seg, fields)


def _book_type(fields: dict[str, str], thesis: str) -> str:
    if thesis:
        if "publisher" in fields:
            fields["school"] = fields.pop("publisher")
        return thesis
    if "publisher" in fields or "isbn" in fields or "year" in fields:
        return "book"
    return "misc"


def cs1_segments(segs: list[str], fields: dict[str, str], thesis: str) -> tuple[str, str]:
    """CS1 after "Authors (Date).": "Title. Place: Publisher." / "Eds (ed.). Title (x ed.).
    (Volume 13 of Series). Publisher." / '"Title". Journal. 10 (2): 147–158.'"""
    if not segs:
        return "misc", ""
    m = re.match(r'^"([^"]+)"\s*(.*)$', segs[0])
    if m:
        after = ". ".join(([m.group(2)] if m.group(2) else []) + segs[1:])
        return after_quoted_title(title_end(m.group(1)), after, fields)
    i = _cs1_title(segs, fields)
    if i < len(segs) and re.match(r"^In:?\s", segs[i]) and collection_tail(". ".join(segs[i:]), fields):
        return "incollection", ""
    if i < len(segs) and "year" in fields:
        jf: dict[str, str] = {}
        ok, loc = journal_tail(segs[i], jf, have_year=True)
        if ok and ("volume" in jf or "pages" in jf):
            fields.update(jf)
            return "article", loc
    _cs1_publication(segs[i:], fields)
    return _book_type(fields, thesis), ""


def author_body(rest: str, fields: dict[str, str], thesis: str) -> Reference | None:
    """What follows the author part of a free-form or reading-list reference."""
    rest = rest.strip()
    m = re.match(r'^"(?P<title>[^"]+)"\s*[.,]?\s*(?P<after>.*)$', rest)
    if m:
        etype, loc = after_quoted_title(title_end(m.group("title")), m.group("after"), fields)
        if etype == "misc" and not m.group("after").strip():
            if not thesis:
                return None
            etype = thesis
        return Reference(etype, fields, loc)
    etype, annotation = book_tail(rest, fields)
    if etype:
        if thesis:
            etype = thesis
            if "publisher" in fields:
                fields["school"] = fields.pop("publisher")
        if annotation:
            fields["annotation"] = annotation
        return Reference(etype, fields)
    return None
