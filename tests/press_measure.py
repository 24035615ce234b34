"""Measures of the editions as a reader sees them: characters per body line of a PDF, and (in
Chromium) characters per body line of an HTML page, how far each margin note stands below its
mark, and marks that begin a line of their own."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

NS = "{http://www.w3.org/1999/xhtml}"


def body_line_lengths(pdf: Path) -> list[int]:
    """Characters (spaces included) of every full line of body text: lines as wide as the text
    block, in the commonest line height (so not notes, headings or running heads)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    rows: list[tuple[int, int]] = []
    for page in ET.fromstring(xml.stdout).iter(f"{NS}page"):
        lines = []
        for line in page.iter(f"{NS}line"):
            words = [w.text or "" for w in line.iter(f"{NS}word")]
            x0, x1 = float(line.get("xMin", 0)), float(line.get("xMax", 0))
            lines.append(
                (" ".join(words), x0, x1, round(float(line.get("yMax", 0)) - float(line.get("yMin", 0))))
            )
        if len(lines) < 8:
            continue
        left, right = min(ln[1] for ln in lines), max(ln[2] for ln in lines)
        rows += [(len(t), h) for t, x0, x1, h in lines if x1 - x0 > 0.97 * (right - left) and x0 - left < 2]
    if not rows:
        return []
    body = Counter(h for _, h in rows).most_common(1)[0][0]
    return [n for n, h in rows if h == body]


# In the page: the widest body line (characters), each visible margin note's distance below its
# mark (px), and the marks that stand on another line than the text before them.
PROBE = """
() => {
  const inNote = (n) => n.parentElement && n.parentElement.closest(
    'span.sidenote, span.marginnote, label.margin-toggle, .book-notes, .headerlink');
  const paras = [...document.querySelectorAll('article.bd-article p')].filter(
    p => !p.closest('span.sidenote, .book-notes, aside, table, li') && p.textContent.length > 250).slice(0, 4);
  let widest = 0;
  for (const p of paras) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const lines = new Map();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (inNote(n)) continue;
      for (let i = 0; i < n.data.length; i++) {
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
        const rect = r.getClientRects()[0]; if (!rect) continue;
        const key = Math.round(rect.top / 4);
        lines.set(key, (lines.get(key) || '') + n.data[i]);
      }
    }
    for (const text of lines.values()) widest = Math.max(widest, text.replace(/[\\s\\u2060]+/g, ' ').trim().length);
  }
  const far = [], alone = [];
  for (const label of document.querySelectorAll('label.margin-toggle:not(.marginnote-label)')) {
    const sup = label.querySelector('sup').getBoundingClientRect();
    const note = label.nextElementSibling && label.nextElementSibling.nextElementSibling;
    if (note && note.matches('span.sidenote') && getComputedStyle(note).display !== 'none')
      far.push(Math.round(note.getBoundingClientRect().top - sup.top));
    let prev = label.previousSibling;
    for (;;) {
      if (prev && prev.nodeType === 3 && !prev.data.replace(/[\\u2060\\s]/g, '').length) prev = prev.previousSibling;
      else if (prev && prev.nodeType === 1 && prev.matches('input, span.sidenote')) prev = prev.previousSibling;
      else break;
    }
    if (!prev) continue;
    const r = document.createRange();
    if (prev.nodeType === 3) { const d = prev.data.replace(/[\\u2060\\s]+$/, ''); r.setStart(prev, d.length - 1); r.setEnd(prev, d.length); }
    else r.selectNodeContents(prev);
    const rects = r.getClientRects(); const last = rects[rects.length - 1];
    if (last && Math.abs(last.bottom - sup.bottom) > last.height) alone.push(label.getAttribute('for'));
  }
  return {widest, far, alone};
}
"""
