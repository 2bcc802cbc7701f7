"""The domain of Ketenkaart: the vocabulary (vocab) and what its terms mean for a chain (rules)."""

from generator.domain.rules import Domain, domain, vocab_of
from generator.domain.vocab import Vocabulary, VocabularyError, check_vocabulary, load_vocabulary

__all__ = ["Domain", "Vocabulary", "VocabularyError", "check_vocabulary", "domain", "load_vocabulary", "vocab_of"]
