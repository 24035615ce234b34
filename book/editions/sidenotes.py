"""The HTML edition's notes at every width: margin notes where the margin fits, a list of the
chapter's notes at its end where it does not (and in print), with links both ways.

sphinx-book-theme (``use_sidenotes``) turns each footnote into a margin note beside its mark.
Before it does, :class:`ChapterNotes` copies every footnote, whole, into a "Notes" list at the
end of the page; the stylesheet ``static/book-site.css`` shows one or the other by width. The
mark becomes a link to its note in that list, so it is reachable by keyboard; each note's
number links back to the mark. A note too long for the margin (several blocks, a list, a table,
or more than :data:`LONG_NOTE` characters) stays whole in the list at every width and the
margin shows a pointer to it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


def _side_note_node() -> Any:
    """sphinx-book-theme's margin-note node, or None with another theme. Imported only by an
    HTML build: the theme brings BeautifulSoup, soupsieve and requests (0.3 s of imports),
    which the PDF and EPUB builds never use."""
    try:
        from sphinx_book_theme.nodes import SideNoteNode  # type: ignore[import-untyped]
    except ImportError:  # another theme: no margin notes
        return None
    return SideNoteNode


__all__ = ["LONG_NOTE", "ChapterNotes", "chapter_note", "chapter_notes", "setup"]

LONG_NOTE = 4000  # characters: a longer note is read in the list, not in the margin


class chapter_notes(nodes.General, nodes.Element):
    """The list of a page's notes, at its end."""


class chapter_note(nodes.General, nodes.Element):
    """One note in the list: ``ids`` (the note's), ``label``, ``backref`` (the mark's id)."""


class ChapterNotes(SphinxPostTransform):
    """Copy each footnote into the page's notes list, before the theme makes it a margin note."""

    default_priority = 0  # sphinx-book-theme's HandleFootnoteTransform runs at 1
    builders = ("html", "dirhtml")

    def run(self, **kwargs: Any) -> None:
        if not self.config.html_theme_options.get("use_sidenotes"):
            return  # footnotes stay footnotes, already listed at the end of the page
        footnotes = [n for n in self.document.findall(nodes.footnote) if n["backrefs"]]
        if not footnotes:
            return
        notes = chapter_notes(classes=["book-notes"])
        for footnote in footnotes:
            notes += self._copy(footnote)
        if any("book-note-long" in n["classes"] for n in notes.findall(chapter_note)):
            notes["classes"].append("book-notes-has-long")
        sections = [s for s in self.document.children if isinstance(s, nodes.section)]
        (sections[-1] if sections else self.document).append(notes)

    def _copy(self, footnote: nodes.footnote) -> chapter_note:
        label = footnote[0].astext() if isinstance(footnote[0], nodes.label) else ""
        body = [child.deepcopy() for child in footnote.children if not isinstance(child, nodes.label)]
        note = chapter_note(label=label, backref=footnote["backrefs"][0], classes=["book-note"])
        note["ids"] = [f"note-{footnote['ids'][0]}"]
        note.extend(body)
        long = len(body) != 1 or not isinstance(body[0], nodes.paragraph)
        if long or len(footnote.astext()) - len(label) > LONG_NOTE:
            note["classes"].append("book-note-long")
            # the margin keeps a pointer; the whole note is in the list
            pointer = nodes.paragraph()
            pointer += nodes.reference(
                "", f"Note {label} is at the end of the chapter.", refid=note["ids"][0], internal=True
            )
            footnote.children[1:] = [pointer]
        return note


def visit_chapter_notes(self: Any, node: chapter_notes) -> None:
    self.body.append(self.starttag(node, "section", role="doc-endnotes", **{"aria-labelledby": "book-notes"}))
    self.body.append('<h2 id="book-notes">Notes</h2>\n<ol class="book-notes-list">\n')


def depart_chapter_notes(self: Any, node: chapter_notes) -> None:
    self.body.append("</ol>\n</section>\n")


def visit_chapter_note(self: Any, node: chapter_note) -> None:
    value = f' value="{node["label"]}"' if node["label"].isdigit() else ""
    self.body.append(self.starttag(node, "li", suffix="").replace("<li", f"<li{value}", 1))
    self.body.append(
        f'<a class="book-note-back" href="#{node["backref"]}" role="doc-backlink" '
        f'aria-label="Back to note {node["label"]} in the text">{node["label"]}</a>\n'
    )


def depart_chapter_note(self: Any, node: chapter_note) -> None:
    self.body.append("</li>\n")


def visit_sidenote(self: Any, node: nodes.Element) -> None:
    """The theme's margin-note mark, with a link to the note in the list inside the label."""
    tagid = node["names"][0]
    if "marginnote" in tagid:
        self.body.append(f"<label for='{tagid}' class='margin-toggle marginnote-label'>")
        return
    target = f"#note-{node['book_note']}" if node.get("book_note") else ""
    # no space before the mark, and a word joiner (U+2060): the mark never starts a line
    self.body.append(f"\u2060<label for='{tagid}' class='margin-toggle'>")
    if target:
        self.body.append(f'<a class="book-note-mark" href="{target}" role="doc-noteref">')
    self.body.append(self.starttag(node, "span", suffix=""))


def depart_sidenote(self: Any, node: nodes.Element) -> None:
    tagid = node["names"][0]
    if "sidenote" in tagid:
        self.body.append("</span>")
        if node.get("book_note"):
            self.body.append("</a>")
    self.body.append("</label>")
    self.body.append(f"<input type='checkbox' id='{tagid}' name='{tagid}' class='margin-toggle'>")


class LinkMarks(SphinxPostTransform):
    """After the theme's transform: tell each margin-note mark which note in the list is its."""

    default_priority = 2
    builders = ("html", "dirhtml")

    def run(self, **kwargs: Any) -> None:
        notes = {n["backref"]: n["ids"][0] for n in self.document.findall(chapter_note)}
        side_note = _side_note_node() if notes else None
        if side_note is None:
            return
        for mark in self.document.findall(side_note):
            if not mark["ids"]:
                continue
            target = notes.get(mark["ids"][0])
            if target:
                mark["book_note"] = target.removeprefix("note-")


def _override_theme_visitors(app: Sphinx) -> None:
    side_note = _side_note_node() if app.builder.format == "html" else None
    if side_note is not None:
        app.add_node(side_note, override=True, html=(visit_sidenote, depart_sidenote))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(chapter_notes, html=(visit_chapter_notes, depart_chapter_notes))
    app.add_node(chapter_note, html=(visit_chapter_note, depart_chapter_note))
    app.add_post_transform(ChapterNotes)
    app.add_post_transform(LinkMarks)
    app.connect("builder-inited", _override_theme_visitors, priority=900)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
