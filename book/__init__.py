"""Turn plain-text source documents into a book in PDF, EPUB and HTML editions with Sphinx."""

__version__ = "0.1.0"
