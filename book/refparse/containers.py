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


def journal_tail(after: str, fields: dict[str, str], have_year: bool = False) -> tuple[bool, str]:
    """Parse "Journal 43#3 (2010): 341–356", "Journal (2014) 42#4", "J, vol. 4, no. 2, 2001,
    pp. 3–9", "J 12, no. 3 (2001): 45–67, 52", "J, 12(3), 45–67" ... Returns (ok, locator)."""
    a = after.strip().rstrip(".").strip()
    m = re.match(r"^(?P<j>[^\d(]*?[^\d(\s,.])[\s,.]*(?P<tail>(?:\b(?:vol|no|nos|Vol|No)\.|\d|\().*)$", a)
    if not m:
        return False, ""
    journal, tail = m.group("j").strip(), m.group("tail")
    f: dict[str, str] = {}
    locator = ""
    ym = re.search(r"\(([^()]*\d{4}[^()]*)\)", tail)
    if ym:
        year, iso = parse_date(ym.group(1))
        if not year:
            return False, ""
        f["year"] = year
        if iso and "—" not in ym.group(1):
            f["date"] = iso
        tail = tail[: ym.start()] + " " + tail[ym.end() :]
    vm = re.search(
        r"(?:^|\s)(?:vol\.\s*)?(\d+)\s*(?:[.#]\s*(\d+)|\((\d+[–-]?\d*)\))?(?=[\s,:]|$)", tail, re.I
    )
    nm = re.search(r"\bnos?\.\s*(\d+(?:\s*[–-]\s*\d+)?)", tail, re.I)
    if nm:
        f["number"] = nm.group(1).replace("-", "–")
        tail = tail[: nm.start()] + " " + tail[nm.end() :]
        vm = re.search(r"(?:^|\s)(?:vol\.\s*)?(\d+)(?=[\s,:]|$)", tail, re.I)
    pm = re.search(r"(?::|\bpp?\.)\s*(\d+\s*(?:[–-]\s*\d+)?\+?)(?:\s*,\s*(\d+(?:\s*[–-]\s*\d+)?))?\s*$", tail)
    if pm:
        f["pages"] = normalise_pages(pm.group(1))
        if pm.group(2):
            locator = normalise_locator(pm.group(2))
        tail = tail[: pm.start()]
    elif re.search(r",\s*(\d+\s*[–-]\s*\d+)\s*$", tail):
        pm = re.search(r",\s*(\d+\s*[–-]\s*\d+)\s*$", tail)
        f["pages"] = normalise_pages(pm.group(1))
        tail = tail[: pm.start()]
    if "year" not in f:
        y2 = re.search(rf",\s*({YEAR})\b", tail)
        if y2:
            f["year"] = y2.group(1)
            tail = tail[: y2.start()] + " " + tail[y2.end() :]
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


def collection_tail(after: str, fields: dict[str, str]) -> bool:
    """Parse what follows a chapter title: "in Eds, eds. Book (1978)", "in Book, Vol 1 in
    Eds, eds. (2010)", "In Book, edited by Eds (Place: Pub, 1978), 35–106", APA "In Eds (Eds.),
    Book (pp. 3–9). Pub.", CS1 "In Eds (ed.). Book. Pub."."""
    a = after.strip().rstrip(".")
    m = re.match(r"^[Ii]n:?\s+(?P<rest>.+)$", a)
    if not m:
        return False
    rest = m.group("rest")

    def pubinfo(text: str) -> None:
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

    m = re.fullmatch(
        r"(?P<book>.+?),\s*(?:Vol\.?|Volume)\s*(?P<vol>\d+)\s+in\s+(?P<eds>.+?),\s*eds?\.\s*(?P<pub>.*)", rest
    )
    if m and parse_names(m.group("eds")):
        fields.update(
            booktitle=m.group("book").strip(), volume=m.group("vol"), editor=parse_names(m.group("eds")) or ""
        )
        pubinfo(m.group("pub"))
        return True
    m = re.fullmatch(
        r"(?P<eds>[^()]+?)\s*\((?:Eds?|eds?)\.?\)[.,]\s*(?P<book>.+?)\s*\(pp\.\s*(?P<pages>[^)]+)\)\.?\s*(?P<pub>.*)",
        rest,
    )
    if m and parse_names(m.group("eds")):
        fields.update(
            booktitle=m.group("book").strip(),
            editor=parse_names(m.group("eds")) or "",
            pages=normalise_pages(m.group("pages")),
        )
        pubinfo(m.group("pub"))
        return True
    m = re.fullmatch(r"(?P<eds>[^()]+?)\s*\((?:eds?|Eds?)\.\)\.\s*(?P<rest>.+)", rest)
    if m and parse_names(m.group("eds")):  # CS1 "In Eds (ed.). Book. Publisher."
        segs = split_segments(m.group("rest"))
        fields.update(booktitle=segs[0], editor=parse_names(m.group("eds")) or "")
        for seg in segs[1:]:
            if re.fullmatch(r"pp?\.\s*\d+\s*[–-]\s*\d+", seg):
                fields["pages"] = normalise_pages(re.sub(r"^pp?\.\s*", "", seg))
            else:
                classify_publisher(seg, fields)
        return True
    m = re.fullmatch(r"(?P<eds>[^.\"]+?),\s*eds?\.\s+(?P<book>.+?)\.?\s*(?P<pub>\([^()]*\))?\s*", rest)
    if m and parse_names(m.group("eds")):
        fields.update(booktitle=m.group("book").strip().rstrip("."), editor=parse_names(m.group("eds")) or "")
        if m.group("pub"):
            pubinfo(m.group("pub"))
        return True
    m = re.fullmatch(
        r"(?P<book>.+?),\s*(?:ed\.|edited by)\s+(?P<eds>[^(,]+?)(?:\s*(?P<paren>\([^()]*\)))?(?:,\s*(?P<tail>.*))?",
        rest,
    )
    if m and parse_names(m.group("eds")):
        book = m.group("book").strip()
        vm = re.search(r",\s*(?:vol\.|volume)\s*(\d+)$", book, re.I)
        if vm:
            fields["volume"], book = vm.group(1), book[: vm.start()]
        fields.update(booktitle=book, editor=parse_names(m.group("eds")) or "")
        pubinfo(
            (m.group("paren") or "") + " " + (m.group("tail") or "")
            if m.group("paren")
            else (m.group("tail") or "")
        )
        return True
    return False


def after_quoted_title(title: str, after: str, fields: dict[str, str]) -> tuple[str, str]:
    """Entry type and locator for a quoted title followed by a container."""
    fields["title"] = title
    after = after.strip().lstrip(",.").strip()
    if not after:
        web = "url" in fields or "urldate" in fields or fields.get("note", "").startswith("Archived")
        return ("online" if web else "misc"), ""
    if re.match(r"^[Ii]n:?\s", after) and collection_tail(after, fields):
        return "incollection", ""
    dm = re.fullmatch(
        r"(?P<c>[^\d]+?),\s+(?P<d>[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})\.?",
        after,
    )
    if dm and parse_date(dm.group("d"))[1]:  # newspaper: "New York Times, May 15, 2014"
        set_date(fields, dm.group("d"))
        if PERIODICAL_WORD.search(dm.group("c")):
            fields["journal"] = dm.group("c").strip()
            return "article", ""
        fields["organization"] = dm.group("c").strip()
        return "online", ""
    ok, loc = journal_tail(after, fields, have_year="year" in fields)
    if ok:
        return "article", loc
    # CS1 / web: "Journal. 10 (2): 147–158.", "Paper. 25 Sep 1951.", "Website."
    segs = split_segments(after)
    container = segs[0].strip().rstrip(",")
    periodical = bool(PERIODICAL_WORD.search(container))
    dated = False
    for seg in segs[1:]:
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
    if "issn" in fields or periodical:
        fields["journal"] = container
        return "article", ""
    if dated and PERIODICAL_WORD.search(container):
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


def cs1_segments(segs: list[str], fields: dict[str, str], thesis: str) -> tuple[str, str]:
    """CS1 after "Authors (Date).": "Title. Place: Publisher." / "Eds (ed.). Title (x ed.).
    (Volume 13 of Series). Publisher." / '"Title". Journal. 10 (2): 147–158.'"""
    if not segs:
        return "misc", ""
    if segs[0].startswith('"'):
        m = re.match(r'^"([^"]+)"\s*(.*)$', segs[0])
        if m:
            after = ". ".join(([m.group(2)] if m.group(2) else []) + segs[1:])
            return after_quoted_title(title_end(m.group(1)), after, fields)
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
    if i < len(segs) and re.match(r"^In:?\s", segs[i]):
        if collection_tail(". ".join(segs[i:]), fields):
            return "incollection", ""
    if i < len(segs) and "year" in fields:
        jf: dict[str, str] = {}
        ok, loc = journal_tail(segs[i], jf, have_year=True)
        if ok and ("volume" in jf or "pages" in jf):
            fields.update(jf)
            return "article", loc
    for seg in segs[i:]:
        sm = re.fullmatch(r"\((?:Volume|Vol\.?|No\.?)\s*(\d+)\s+of\s+(.+)\)", seg)
        if sm:
            fields["series"], fields["number"] = sm.group(2).strip(), sm.group(1)
        elif re.fullmatch(r"\(([^()]+)\)", seg):
            fields["series"] = seg.strip("()")
        elif re.fullmatch(rf"{YEAR}", seg) or (parse_date(seg)[1] and len(seg) <= 20):
            if "year" not in fields:
                set_date(fields, seg)
        elif re.fullmatch(r"pp?\.\s*.+", seg):
            continue
        else:
            classify_publisher(seg, fields)
    if thesis:
        if "publisher" in fields:
            fields["school"] = fields.pop("publisher")
        return thesis, ""
    if "publisher" in fields or "isbn" in fields or "year" in fields:
        return "book", ""
    return "misc", ""


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
