"""The PDF's metadata: an XMP packet and the Info dictionary, written here and handed to xdvipdfmx.

The hyperxmp package does the same job from inside TeX, at a cost of about four seconds of
every xelatex pass (it converts each string character by character in macros); here the
packet is built once in Python and embedded with two ``\\special``s. Both the packet and the
Info entries go in as hex strings, so no character of the book's metadata can break out of
them, and nothing in them depends on the clock: the same outline gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["Metadata", "pdf_specials", "xmp_packet"]


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself (empty strings are left out)."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    publisher: str
    rights: str
    date: str  # ISO 8601, e.g. "2026-11-23T00:00:00Z"
    document_id: str
    instance_id: str
    producer: str = "xdvipdfmx"
    licence_url: str = ""  # the book's licence (xmpRights:WebStatement)


def _alt(value: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'


def _seq(values: list[str], kind: str = "Seq") -> str:
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"<rdf:{kind}>{items}</rdf:{kind}>"


def xmp_packet(meta: Metadata) -> str:
    """The XMP packet (Dublin Core, XMP basic, PDF and media-management properties)."""
    dc = {
        "title": _alt(meta.title) if meta.title else "",
        "creator": _seq([meta.author]) if meta.author else "",
        "description": _alt(meta.subject) if meta.subject else "",
        "subject": _seq(list(meta.keywords), "Bag") if meta.keywords else "",
        "language": _seq([meta.language], "Bag") if meta.language else "",
        "publisher": _seq([meta.publisher], "Bag") if meta.publisher else "",
        "rights": _alt(meta.rights) if meta.rights else "",
        "format": "application/pdf",
    }
    fields = [f"<dc:{name}>{value}</dc:{name}>" for name, value in dc.items() if value]
    fields += [
        f"<xmp:{name}>{meta.date}</xmp:{name}>" for name in ("CreateDate", "ModifyDate", "MetadataDate")
    ]
    if meta.keywords:
        fields.append(f"<pdf:Keywords>{escape(', '.join(meta.keywords))}</pdf:Keywords>")
    if meta.licence_url:
        fields.append("<xmpRights:Marked>True</xmpRights:Marked>")
        fields.append(f"<xmpRights:WebStatement>{escape(meta.licence_url)}</xmpRights:WebStatement>")
    fields.append(f"<pdf:Producer>{escape(meta.producer)}</pdf:Producer>")
    fields.append(f"<xmpMM:DocumentID>{escape(meta.document_id)}</xmpMM:DocumentID>")
    fields.append(f"<xmpMM:InstanceID>{escape(meta.instance_id)}</xmpMM:InstanceID>")
    body = "\n   ".join(fields)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )


def _hex(text: str, utf16: bool = True) -> str:
    data = ("\ufeff" + text).encode("utf-16-be") if utf16 else text.encode("utf-8")
    return f"<{data.hex().upper()}>"


def pdf_specials(meta: Metadata) -> str:
    """LaTeX that embeds the packet and fills the Info dictionary, at the start of the document."""
    info: Mapping[str, str] = {
        "Title": meta.title,
        "Author": meta.author,
        "Subject": meta.subject,
        "Keywords": ", ".join(meta.keywords),
    }
    entries = " ".join(f"/{key} {_hex(value)}" for key, value in info.items() if value)
    packet = _hex(xmp_packet(meta), utf16=False)
    return (
        r"\AtBeginDocument{"
        rf"\special{{pdf:docinfo <<{entries}>>}}"
        rf"\special{{pdf:stream @bookxmp {packet} <</Type/Metadata/Subtype/XML>>}}"
        r"\special{pdf:put @catalog <</Metadata @bookxmp>>}"
        "}"
    )
