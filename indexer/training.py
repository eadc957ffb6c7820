"""Train the default embedding model from the corpus on CPU, at build time.

A word-level StaticEmbedding (sentence-transformers) over jieba tokens: the vocabulary is
the corpus's tokens plus the cnsyn pretrained words, the vectors start from cnsyn where
it knows the word (else the mean of its characters' vectors), and MultipleNegativesRanking
loss tunes them on pairs mined from the corpus (indexer/pairs.py). Text reaches the model
already segmented by indexer/tokenize.py; the model dir carries a marker saying so.
"""
from __future__ import annotations

import contextlib
import io
import os
import time
from collections import Counter
from pathlib import Path

import numpy as np

from corpus.model import Document
from indexer.dense import export_static_vectors, segment_for_vocab
from indexer.pairs import mine_pairs
from indexer.tokenize import Tokenizer
from indexer.wordvectors import load_word_vectors

UNK, PAD = "[UNK]", "[PAD]"
DIM = 256               # cnsyn gives 75; the rest start near zero and learn from the corpus
EPOCHS = 1
BATCH_SIZE = 1024
LEARNING_RATE = 0.1     # static embeddings want a large rate; 0.05, 0.1, 0.2, 0.3 measured, 0.1 fused best
MAX_PAIRS = 100_000
MIN_TOKEN_COUNT = 2


def _vocabulary(segmented: list[list[str]], pretrained: list[str]) -> list[str]:
    counts = Counter(t for tokens in segmented for t in tokens)
    vocab = [UNK, PAD] + [t for t, c in counts.most_common() if c >= MIN_TOKEN_COUNT]
    seen = set(vocab)
    for word in pretrained:
        if word not in seen and " " not in word and word.strip():
            vocab.append(word)
            seen.add(word)
    # characters, the fallback for unseen words, sorted: a set's order follows the process's string
    # hash seed, and a row's random start follows its place (two builds gave different vectors)
    for char in sorted({c for t in counts for c in t}):
        if char not in seen:
            vocab.append(char)
            seen.add(char)
    return vocab


def _initial_weights(vocab: list[str], pretrained: tuple[list[str], np.ndarray] | None, dim: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    weights = rng.normal(0, 0.01, size=(len(vocab), dim)).astype(np.float32)
    if pretrained is not None:
        words, vectors = pretrained
        index = {w: i for i, w in enumerate(words)}
        width = min(dim, vectors.shape[1])
        for row, token in enumerate(vocab):
            if token in index:
                weights[row, :width] = vectors[index[token], :width]
            else:
                chars = [index[c] for c in token if c in index]
                if chars:
                    weights[row, :width] = vectors[chars, :width].mean(axis=0)
    weights[vocab.index(PAD)] = 0.0
    return weights


def train_domain_model(docs: list[Document], edges: list[dict], unit_tokens: dict[str, list[str]],
                       model_dir: Path, userdict: Path, vectors_cache: Path, dim: int = DIM, epochs: float = EPOCHS,
                       max_pairs: int = MAX_PAIRS) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("WANDB_DISABLED", "true")
    import torch
    from datasets import Dataset
    from sentence_transformers import (SentenceTransformer, SentenceTransformerTrainer,
                                       SentenceTransformerTrainingArguments)
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from sentence_transformers.base.sampler import BatchSamplers
    from tokenizers import Tokenizer as HFTokenizer
    from tokenizers import models as hf_models
    from tokenizers import pre_tokenizers

    started = time.perf_counter()
    torch.manual_seed(0)
    tokenizer = Tokenizer(userdict)
    pairs = mine_pairs(docs, edges, unit_tokens, tokenizer.tokens, max_pairs=max_pairs)
    anchors = [a for a, _ in pairs]
    positives = [p for _, p in pairs]
    pretrained = load_word_vectors(vectors_cache)
    vocab = _vocabulary(anchors + positives, pretrained[0] if pretrained else [])
    known = set(vocab)
    anchors = [" ".join(segment_for_vocab(t, known)) for t in anchors]
    positives = [" ".join(segment_for_vocab(t, known)) for t in positives]
    hf_tokenizer = HFTokenizer(hf_models.WordLevel({w: i for i, w in enumerate(vocab)}, unk_token=UNK))
    hf_tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    embedding = StaticEmbedding(hf_tokenizer, embedding_weights=_initial_weights(vocab, pretrained, dim))
    model = SentenceTransformer(modules=[embedding], device="cpu")
    # the hub model card's widget samples: a stray "Computing widget examples" bar, nothing leian uses
    model.model_card_data.set_widget_examples = lambda dataset: None
    mined_s = time.perf_counter() - started

    args = SentenceTransformerTrainingArguments(
        output_dir=str(model_dir.parent / "training-tmp"), num_train_epochs=epochs,
        per_device_train_batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE, warmup_steps=0.1,  # a float: the warm-up ratio (transformers 5)
        batch_sampler=BatchSamplers.NO_DUPLICATES, report_to="none", save_strategy="no",
        logging_strategy="no", use_cpu=True, dataloader_num_workers=0, disable_tqdm=True, seed=0)
    dataset = Dataset.from_dict({"anchor": anchors, "positive": positives})
    trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=dataset,
                                         loss=MultipleNegativesRankingLoss(model))
    with contextlib.redirect_stdout(io.StringIO()):   # the trainer prints its metrics dict
        trainer.train()
    model.save(str(model_dir))   # a standard sentence-transformers dir (reads whitespace-segmented text)
    export_static_vectors(model_dir, embedding.embedding.weight.detach().cpu().numpy(), vocab)
    return {"pairs": len(pairs), "vocab": len(vocab), "dim": dim, "epochs": epochs,
            "init": "cnsyn" if pretrained else "random", "mine_s": round(mined_s, 1),
            "train_s": round(time.perf_counter() - started - mined_s, 1)}
