"""Stage 5: write the docs folder and build the site with MkDocs (see mkdocs.py)."""

from generator.publish.mkdocs import PublishError, publish

__all__ = ["PublishError", "publish"]
