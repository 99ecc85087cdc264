"""Information in bits: the yut throw, a fair die, and the cost of a wrong model.

Yut is thrown with four sticks; the outcomes do, gae, geol, yut and mo have probabilities
4/16, 6/16, 4/16, 1/16 and 1/16. A rare outcome (yut, mo: 4 bits) is more surprising than
a common one (gae: 1.415 bits); the entropy H(p) = 2.0306 bits is the average surprise.
Coding the throws as if the five outcomes were equally likely (q uniform) costs
H(p, q) = log₂ 5 bits per throw, and the excess over H(p) is KL(p ‖ q):
    H(p, q) = H(p) + KL(p ‖ q).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scratchdl import info
from scratchdl.demos.plotting import new_figure, save_figure

YUT_OUTCOMES = ("do", "gae", "geol", "yut", "mo")
YUT_PROBABILITIES = np.array([4, 6, 4, 1, 1]) / 16
UNIFORM_GUESS = np.full(5, 1 / 5)
FAIR_DIE = np.full(6, 1 / 6)


def run(out_dir: Path) -> dict:
    """Draw ``entropy.png``; return the yut throw's self-information per outcome, the
    entropies of yut and a fair die, and H(p, q), KL(p ‖ q) for q uniform, in bits."""
    surprise = info.self_information(YUT_PROBABILITIES)
    numbers = {
        "yut_self_information_bits": surprise.tolist(),
        "yut_entropy_bits": info.entropy(YUT_PROBABILITIES),
        "fair_die_entropy_bits": info.entropy(FAIR_DIE),
        "cross_entropy_yut_vs_uniform_bits": info.cross_entropy(YUT_PROBABILITIES, UNIFORM_GUESS),
        "kl_yut_vs_uniform_bits": info.kl_divergence(YUT_PROBABILITIES, UNIFORM_GUESS),
    }
    figure, axes = new_figure(1, 3, title="Information theory of the yut throw (bits)")
    _draw_surprise(axes[0, 0], surprise, numbers["yut_entropy_bits"])
    _draw_distributions(axes[0, 1])
    _draw_identity(axes[0, 2], numbers)
    save_figure(figure, out_dir / "entropy.png")
    return numbers


def _draw_surprise(ax, surprise: np.ndarray, entropy: float) -> None:
    """Bars of each outcome's self-information, and the entropy as their weighted mean."""
    bars = ax.bar(YUT_OUTCOMES, surprise, color="tab:purple", label="self-information −log₂ p")
    ax.bar_label(bars, labels=[f"{bits:.3f}" for bits in surprise], padding=2)
    ax.axhline(entropy, color="black", linestyle="--", label=f"entropy H(p) = {entropy:.4f}")
    ax.set(xlabel="outcome", ylabel="bits", ylim=(0, 5))
    ax.set_title("surprise of each outcome")
    ax.legend(loc="upper left", fontsize="small")


def _draw_distributions(ax) -> None:
    """The true yut probabilities p beside the uniform guess q."""
    positions = np.arange(len(YUT_OUTCOMES))
    ax.bar(positions - 0.2, YUT_PROBABILITIES, width=0.4, label="p: true probabilities")
    ax.bar(positions + 0.2, UNIFORM_GUESS, width=0.4, label="q: uniform guess")
    ax.set(xlabel="outcome", ylabel="probability", xticks=positions, ylim=(0, 0.5))
    ax.set_xticklabels(YUT_OUTCOMES)
    ax.set_title("two models of the throw")
    ax.legend(loc="upper right", fontsize="small")


def _draw_identity(ax, numbers: dict) -> None:
    """H(p) with KL(p ‖ q) stacked on top, beside H(p, q): the two bars are equally tall."""
    entropy = numbers["yut_entropy_bits"]
    kl = numbers["kl_yut_vs_uniform_bits"]
    cross_entropy = numbers["cross_entropy_yut_vs_uniform_bits"]
    ax.bar("H(p) + KL(p‖q)", entropy, color="tab:blue", label=f"H(p) = {entropy:.4f}")
    ax.bar("H(p) + KL(p‖q)", kl, bottom=entropy, color="tab:red", label=f"KL(p‖q) = {kl:.4f}")
    ax.bar("H(p, q)", cross_entropy, color="tab:orange", label=f"H(p, q) = {cross_entropy:.4f}")
    ax.set(ylabel="bits", ylim=(0, 3.6))
    die_entropy = numbers["fair_die_entropy_bits"]
    ax.set_title(f"H(p, q) = H(p) + KL(p‖q)\n(fair die for comparison: H = {die_entropy:.4f})")
    ax.legend(loc="upper center", fontsize="small", ncols=2)
