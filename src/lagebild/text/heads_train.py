"""Training a sequence head (``lagebild.text.heads``) on encoder states; needs torch.

Only for training (``pip install 'lagebild[train]'``): the result is written as numpy
arrays and run without torch. Reproducible: one thread, fixed seeds, a seeded shuffle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from lagebild.errors import ModelNotAvailable
from lagebild.text.heads import allowed_transitions

_NEG = -1e4


@dataclass(frozen=True, slots=True)
class HeadSettings:
    hidden: int = 128  # BiLSTM units per direction (0 = no LSTM, a linear head)
    crf: bool = True
    epochs: int = 12
    lr: float = 2e-3
    dropout: float = 0.3
    batch: int = 32
    seed: int = 13
    late_lr: float = 0.3  # the learning rate is multiplied by this for the last 40 % of epochs


def _torch():
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelNotAvailable(
            "training an encoder head needs torch: pip install 'lagebild[train]' "
            "(torch==2.13.0, CPU build)"
        ) from exc
    return torch


def fit(
    xs: Sequence[np.ndarray],
    ys: Sequence[Sequence[int]],
    labels: Sequence[str],
    layers: Sequence[int],
    settings: HeadSettings = HeadSettings(),
    weights: Sequence[float] | None = None,
    progress: Callable[[int, float], None] | None = None,
    snapshots: list[dict[str, np.ndarray]] | None = None,
    average: int = 0,
) -> tuple[dict[str, np.ndarray], dict]:
    """Train on sequences of (tokens, layers, dim) states with label ids; returns the
    arrays and meta that ``heads.save`` writes. ``weights`` scale each sequence's loss
    (e.g. below 1 for silver data); ``snapshots``, when given, receives the weights after
    each epoch (``export`` turns one, or their mean, into a head). With ``average`` the
    head is the mean of the last ``average`` epochs' weights (training is the same)."""
    torch = _torch()
    nn = torch.nn
    torch.set_num_threads(1)
    torch.manual_seed(settings.seed)
    rng = np.random.RandomState(settings.seed)
    k = len(labels)
    dim = xs[0].shape[-1]
    n_layers = xs[0].shape[1]
    allowed_np, start_np = allowed_transitions(list(labels))
    allowed = torch.tensor(allowed_np)
    start_ok = torch.tensor(start_np)
    w_seq = np.ones(len(xs), np.float32) if weights is None else np.asarray(weights, np.float32)

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.mix = nn.Parameter(torch.zeros(n_layers))
            self.drop = nn.Dropout(settings.dropout)
            d = dim
            if settings.hidden:
                self.rnn = nn.LSTM(dim, settings.hidden, batch_first=True, bidirectional=True)
                d = 2 * settings.hidden
            self.out = nn.Linear(d, k)
            self.trans = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))

        def forward(self, x):
            h = (x * torch.softmax(self.mix, 0)[:, None]).sum(2)
            h = self.drop(h)
            if settings.hidden:
                h, _ = self.rnn(h)
                h = self.drop(h)
            return self.out(h)

    def crf_nll(m, em, y, mask):
        trans = m.trans.masked_fill(~allowed, _NEG)
        start = m.start.masked_fill(~start_ok, _NEG)
        steps = em.shape[1]
        gold = start[y[:, 0]] + em[:, 0].gather(1, y[:, :1]).squeeze(1)
        alpha = start + em[:, 0]
        for t in range(1, steps):
            step = trans[y[:, t - 1], y[:, t]] + em[:, t].gather(1, y[:, t : t + 1]).squeeze(1)
            gold = gold + step * mask[:, t]
            nxt = torch.logsumexp(alpha[:, :, None] + trans[None], 1) + em[:, t]
            alpha = torch.where(mask[:, t : t + 1].bool(), nxt, alpha)
        return torch.logsumexp(alpha, 1) - gold

    model = Model()
    opt = torch.optim.Adam(model.parameters(), lr=settings.lr)
    late = int(settings.epochs * 0.6)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 if e < late else settings.late_lr)
    order = np.arange(len(xs))
    kept: list[dict[str, np.ndarray]] = []
    for epoch in range(settings.epochs):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for i in range(0, len(order), settings.batch):
            idx = order[i : i + settings.batch]
            t_max = max(len(xs[j]) for j in idx)
            x = np.zeros((len(idx), t_max, n_layers, dim), np.float32)
            y = np.zeros((len(idx), t_max), np.int64)
            mask = np.zeros((len(idx), t_max), np.float32)
            for r, j in enumerate(idx):
                n = len(xs[j])
                x[r, :n] = xs[j]
                y[r, :n] = ys[j]
                mask[r, :n] = 1
            xt, yt, mt = torch.tensor(x), torch.tensor(y), torch.tensor(mask)
            wt = torch.tensor(w_seq[idx])
            em = model(xt)
            if settings.crf:
                loss = (crf_nll(model, em, yt, mt) * wt).sum() / wt.sum()
            else:
                ce = nn.functional.cross_entropy(
                    em.reshape(-1, k), yt.reshape(-1), reduction="none"
                )
                tok_w = (mt * wt[:, None]).reshape(-1)
                loss = (ce * tok_w).sum() / tok_w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.item())
        sched.step()
        if progress:
            progress(epoch, total)
        if snapshots is not None or epoch >= settings.epochs - average:
            kept.append(_state(model))
            if snapshots is not None:
                snapshots.append(kept[-1])
    if average > 1:
        arrays, meta = export(_average(kept[-average:]), labels, layers, settings)
        return arrays, {**meta, "average": average}
    return export(_state(model), labels, layers, settings)


def _state(model) -> dict[str, np.ndarray]:
    return {name: p.detach().numpy().copy() for name, p in model.state_dict().items()}


def _average(states: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The mean of several snapshots' weights (float64 sums, float32 result)."""
    return {
        k: np.mean([s[k] for s in states], axis=0, dtype=np.float64).astype(np.float32)
        for k in states[0]
    }


def export(sd: dict[str, np.ndarray], labels: Sequence[str], layers: Sequence[int],
           settings: HeadSettings) -> tuple[dict[str, np.ndarray], dict]:  # fmt: skip
    """A torch state dict as the arrays and meta ``heads.save`` writes."""
    arrays: dict[str, np.ndarray] = {
        "mix": np.exp(sd["mix"]) / np.exp(sd["mix"]).sum(),
        "out_w": sd["out.weight"],
        "out_b": sd["out.bias"],
    }
    if settings.crf:
        arrays["trans"] = sd["trans"]
        arrays["start"] = sd["start"]
    if settings.hidden:
        for d, suffix in (("fw", ""), ("bw", "_reverse")):
            arrays[f"{d}_wih"] = sd[f"rnn.weight_ih_l0{suffix}"]
            arrays[f"{d}_whh"] = sd[f"rnn.weight_hh_l0{suffix}"]
            arrays[f"{d}_b"] = sd[f"rnn.bias_ih_l0{suffix}"] + sd[f"rnn.bias_hh_l0{suffix}"]
    meta = {"labels": list(labels), "layers": list(layers), "settings": asdict(settings)}
    return arrays, meta


__all__ = ["HeadSettings", "export", "fit"]
