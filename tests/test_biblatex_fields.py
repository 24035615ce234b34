"""BibLaTeX as authors' files have it, read as biber and Pandoc read it: a volume of a
multivolume work, a collection's own ``booktitle``, journal series, e-prints, literal lists,
the TeX logos and ``\\mkbibquote``; a cited ``@set``, keys with ``/``, and annotations, which a
book of one's own does not print unless it asks to.

The unit tests convert a small .bib; the ``sphinx`` test builds a copy of
``tests/roots/ownbook`` with such entries cited and reads the HTML back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from book.citations.bibcsl import fields_to_csl
from book.citations.bibtex import load_bibfiles

from .conftest import ROOT, run_book

BIB = r"""
@string{oup = {Oxford University Press}}
@book{works:vol2,
  author = {Sample, Ada},
  title = {Letters from the Frontier},
  maintitle = {Collected Works},
  mainsubtitle = {A Critical Edition},
  volume = {2},
  publisher = oup,
  location = {Oxford and New York and Toronto},
  date = {1990},
}
@inbook{works:essay,
  author = {Sample, Ada},
  title = {On Rivers},
  booktitle = {Essays},
  maintitle = {Collected Works},
  volume = {3},
  pages = {1--20},
  publisher = oup,
  location = {Oxford},
  date = {1991},
}
@collection{gathering,
  editor = {Editor, Eve},
  title = {The Gathering},
  booktitle = {The Gathering},
  publisher = {{Smith and Sons}},
  location = {Westport, Conn. and London},
  date = {2000},
}
@article{journal:new,
  author = {Writer, Will},
  title = {\mkbibquote{Rivers} and the {\TeX book}},
  journaltitle = {Steppe Review},
  series = {newseries},
  volume = {9},
  date = {1933},
}
@article{journal:third,
  author = {Writer, Will},
  title = {Trade},
  journaltitle = {Steppe Quarterly},
  series = {3},
  volume = {15},
  date = {1958},
}
@online{paper/online,
  author = {Coder, Cy},
  title = {Higher Rivers},
  eprint = {math/0307200v3},
  eprinttype = {arxiv},
  date = {2004-10-27},
  annotation = {My own note: check the published version.},
}
@set{both,
  entryset = {journal:new,journal:third},
}
"""


def _items(tmp_path: Path) -> dict:
    bib = tmp_path / "works.bib"
    bib.write_text(BIB, encoding="utf-8")
    database = load_bibfiles([bib])
    assert not database.problems, database.problems
    return dict(database.items)


def test_a_volume_and_a_chapter_of_a_multivolume_work(tmp_path: Path) -> None:
    items = _items(tmp_path)
    volume = items["works:vol2"]
    assert volume["title"] == "Collected Works: A Critical Edition"  # the work ...
    assert volume["volume-title"] == "Letters from the Frontier"  # ... and the volume, as Pandoc maps them
    assert volume["title-short"] == "Letters from the Frontier"  # cited again by the volume's title
    essay = items["works:essay"]
    assert essay["container-title"] == "Collected Works" and essay["volume-title"] == "Essays"


def test_a_collection_is_in_no_book_and_lists_read_as_biblatex_prints_them(tmp_path: Path) -> None:
    items = _items(tmp_path)
    gathering = items["gathering"]
    assert "container-title" not in gathering  # its own booktitle, for its chapters to inherit
    assert gathering["publisher-place"] == "Westport, Conn. and London"
    assert "Smith and Sons" in gathering["publisher"]  # braces keep an "and" in a name
    three = fields_to_csl("k", "book", {"publisher": "{Smith and Sons} and Hall and Co"})
    assert three["publisher"] == '<span class="nocase">Smith and Sons</span>; Hall; Co'  # in a list too
    assert items["works:vol2"]["publisher-place"] == "Oxford; New York; Toronto"  # in any language


def test_series_eprints_logos_and_quotation_marks(tmp_path: Path) -> None:
    items = _items(tmp_path)
    assert items["journal:new"]["collection-title"] == "new series"
    assert items["journal:third"]["collection-title"] == "3rd ser."
    # straight quotes, which citeproc sets as the style's (flipped inside a quoted title)
    assert items["journal:new"]["title"] == '"Rivers" and the TeXbook'
    assert items["paper/online"]["URL"] == "https://arxiv.org/abs/math/0307200v3"


@pytest.mark.sphinx
def test_sets_slashed_keys_and_private_annotations_in_a_book(tmp_path: Path) -> None:
    book = tmp_path / "ownbook"
    shutil.copytree(
        ROOT / "tests" / "roots" / "ownbook",
        book,
        ignore=shutil.ignore_patterns("_build", "dist", "index.md", "bibliography.md"),
    )
    (book / "works.bib").write_text(BIB, encoding="utf-8")
    with (book / "conf.py").open("a", encoding="utf-8") as conf:  # the style `new` writes: it prints annote
        conf.write('book_csl_style = "chicago-notes-bibliography-book"\n')
    (book / "chapters" / "d-works.md").write_text(
        "# Works\n\nBoth series {cite}`@both, 170`. A preprint {cite}`@paper/online`.\n"
        "The letters {cite}`@works:vol2, 12`.\n",
        encoding="utf-8",
    )
    proc = run_book("publish", "html", cwd=book)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (book / "dist" / "html" / "chapters" / "d-works.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    # the set: its members in one note, the locator on the last
    assert (
        "Will Writer, “‘Rivers’ and the TeXbook,” Steppe Review, new series, vol. 9 (1933); "
        "Will Writer, “Trade,” Steppe Quarterly, 3rd ser., vol. 15 (1958): 170." in text
    ), text
    assert "https://arxiv.org/abs/math/0307200v3" in text
    assert "Collected Works: A Critical Edition" in text and "Letters from the Frontier" in text
    bibliography = (book / "dist" / "html" / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    assert "Higher Rivers" in bibliography
    assert "My own note" not in bibliography and "My own note" not in page  # the author's, not printed
