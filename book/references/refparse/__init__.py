"""Parse loose reference strings into typed BibTeX fields, a locator and commentary.

``parse_reference(text)`` takes one reference string in any of the common styles (Wikipedia CS1,
Chicago notes and bibliography, APA, MLA, Harvard, free-form "Name, Title (Place, Year)",
reading-list "Family, Given. Title (Publisher, Year)", short cites "Deasy 1901, p. 3") and
returns a ``Reference``: the entry type, BibTeX fields, the locator (the cited pages) and whether
it is a full reference, a short cite of a work given in full elsewhere, or not a reference at
all. ``parse_note(text)`` splits a note into commentary text and references;
``is_commentary(text)`` tells prose from a reference.

How it works: ``debris`` strips what is not the reference and takes out the identifiers;
``roles`` takes out editors, translators ("ed. and trans.", "Translated by", "(X, Trans.)"),
the edition ("2nd ed."), volumes ("3 vols.") and language notes ("(in German)"); the ordered
``recognizers.RECOGNIZERS`` (one per reference form) each try the rest; the field normalizers
(``names``, ``titles``, ``dates``, ``pages``, ``identifiers``, ``publishers``, ``languages``)
and the container parsers (``containers``) fill the fields.

Conventions (the gold file and the bibliography rely on them):

* names are BibTeX names "Family, Given and Family, Given"; a suffix goes after the family name
  ("Cohn, Jr., Samuel K."), particles before it ("von Ranke, Leopold", "de' Mussis, Gabriele");
  a corporate author is braced;
* ``editor`` and ``translator`` as names; ``edition`` as the ordinal written ("2nd") or "rev.";
  ``volumes`` is the number of volumes of a multi-volume work, ``volume`` the one cited; a
  volume-and-page locator stays as written ("1:73–85");
* ``langid`` (BibLaTeX language name) for a title in German, French, Italian, Spanish,
  Portuguese, Dutch or Latin, so the styles keep its capitalisation;
* ``pages`` is the work's own range (an article or chapter), written with ``--``; abbreviated
  ranges are expanded (``105–82`` -> ``105--182``);
* the locator keeps the source's form with the label normalised to ``p.``/``pp.`` and hyphens to
  en dashes; an open range (``pp. 79–``, Google Books' "from page 79") becomes ``p. 79``; a bare
  page number after a Chicago note becomes ``p. 45``;
* ``year`` is always the four-digit year; ``date`` is added (ISO ``2006-11-22`` or ``2016-12``)
  when the source gives more than the year;
* ``isbn`` is ISBN-13, digits only, after the check digit is verified; a bad ISBN, or one given
  for a work published before 1970, is not written and is reported in ``problems``;
* ``urldate`` is the ISO date of "Retrieved ..."; "Archived from the original on X" and
  "Archived X at the Wayback Machine" go to ``note`` (the date in words); the words of lost
  links ("online", "excerpt"), "{{cite ...}}" and "CS1 maint" are dropped.

No rule names a particular work: the parser is a sequence of generic patterns.
"""

from .identifiers import normalise_isbn
from .model import FIELD_ORDER, Reference, ReferenceWarning, ordered_fields
from .names import parse_names
from .notes import parse_note
from .pages import normalise_locator, normalise_pages
from .parser import benchmark, form_of, parse_reference
from .segments import is_commentary

__all__ = [
    "FIELD_ORDER",
    "Reference",
    "ReferenceWarning",
    "benchmark",
    "form_of",
    "is_commentary",
    "normalise_isbn",
    "normalise_locator",
    "normalise_pages",
    "ordered_fields",
    "parse_names",
    "parse_note",
    "parse_reference",
]
