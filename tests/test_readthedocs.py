"""``.readthedocs.yaml``: Read the Docs builds the HTML edition with the PDF and EPUB as its
downloads. Its commands are run here on the real editions (the session's ``book_dist``) with a
stand-in ``pip`` and ``publish``, and the layout Read the Docs serves is read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import ROOT

CONFIG = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))


def test_config_is_version_2_with_the_packages_make_installs() -> None:
    assert CONFIG["version"] == 2
    build = CONFIG["build"]
    assert build["os"].startswith("ubuntu-") and re.fullmatch(r"3\.1[1-9]", build["tools"]["python"])
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    apt = re.search(r"APT_PACKAGES := (.*?)\n\n", makefile, re.S).group(1).replace("\\\n", " ").split()
    assert set(build["apt_packages"]) <= set(apt)
    assert {"texlive-xetex", "latexmk", "fonts-noto-cjk"} <= set(build["apt_packages"])
    commands = build["commands"]
    assert "python -m pip install ." in commands and "python -m book publish html epub pdf" in commands
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".readthedocs.yaml" in readme


@pytest.mark.edition
def test_commands_lay_out_the_site_and_the_downloads(book_dist: Path, tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copytree(book_dist, checkout / "dist", copy_function=os.link)
    output = tmp_path / "output"
    env = {**os.environ, "READTHEDOCS_OUTPUT": str(output)}
    for command in CONFIG["build"]["commands"]:
        if command.startswith(("python -m pip install", "python -m book publish")):
            continue  # done already: book_dist is what `publish` makes
        subprocess.run(command, shell=True, check=True, cwd=checkout, env=env)
    pdfs, epubs = list((output / "pdf").iterdir()), list((output / "epub").iterdir())
    assert [p.suffix for p in pdfs] == [".pdf"] and [p.suffix for p in epubs] == [".epub"]
    assert pdfs[0].read_bytes().startswith(b"%PDF") and epubs[0].read_bytes().startswith(b"PK")
    index = output / "html" / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("p.book-downloads a")]
    assert sorted(Path(h).suffix for h in links) == [".epub", ".pdf"]
    for href in links:
        assert (index.parent / href).read_bytes()[:4] in (b"%PDF", b"PK\x03\x04"), href
