"""The PDF metadata written in Python: a well-formed XMP packet, hex strings for TeX."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from book.editions.xmp import Metadata, pdf_specials, xmp_packet

HOSTILE = 'A </rdf:li> & <b>"title"</b> % \\end{document} {#} Россия 中国'

META = Metadata(
    title=HOSTILE,
    author="The Editors",
    subject="A History",
    keywords=("Amur River", "Mao Zedong"),
    language="en",
    publisher="Press",
    rights="All rights",
    date="2026-11-23T00:00:00Z",
    document_id="uuid:1",
    instance_id="uuid:2",
)
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


def test_packet_is_well_formed_and_keeps_hostile_text_as_text():
    root = ET.fromstring(xmp_packet(META).split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    title = root.find(".//dc:title/rdf:Alt/rdf:li", NS)
    assert title is not None and title.text == HOSTILE
    assert [li.text for li in root.findall(".//dc:subject/rdf:Bag/rdf:li", NS)] == [
        "Amur River",
        "Mao Zedong",
    ]
    assert root.find(".//xmp:CreateDate", NS).text == "2026-11-23T00:00:00Z"  # type: ignore[union-attr]


def test_empty_fields_are_left_out():
    packet = xmp_packet(Metadata(**{**META.__dict__, "rights": "", "keywords": ()}))
    assert "dc:rights" not in packet and "dc:subject" not in packet and "pdf:Keywords" not in packet


def test_specials_carry_only_hex_strings():
    tex = pdf_specials(META)
    # Nothing of the metadata reaches TeX as text: only hex digits between the angle brackets.
    assert "rdf" not in tex and "Editors" not in tex and "%" not in tex
    strings = re.findall(r"<([0-9A-F]*)>", tex)
    assert bytes.fromhex(strings[0]).decode("utf-16-be") == "\ufeff" + HOSTILE  # the Title, with its BOM
    assert bytes.fromhex(strings[-1]).decode("utf-8") == xmp_packet(META)


def test_same_metadata_same_bytes():
    assert pdf_specials(META) == pdf_specials(Metadata(**META.__dict__))
