"""Stage 5: write the docs folder and build the site with MkDocs (see mkdocs.py)."""

from generator.publish.mkdocs import publish
from generator.publish.safety import MkDocsError, PublishError

__all__ = ["MkDocsError", "PublishError", "publish"]
