"""The editions: LaTeX and typesetting, EPUB, HTML, their Sphinx settings and templates."""
