"""A small synthetic corpus in the Touché23-ValueEval file format (for tests that must not need the real data).

Each argument joins one to three phrases, each phrase tied to one category, under one of a few
conclusions; the labels are the categories of its phrases. Seeded: the same seed writes the
same files.
"""

from __future__ import annotations

import random
from pathlib import Path

from valuecompass.judge import TOUCHE_TO_SCHWARTZ

PHRASES: dict[str, tuple[str, ...]] = {
    "Self-direction: thought": ("people should think for themselves", "curiosity and new ideas matter"),
    "Self-direction: action": ("everyone must be free to choose their own path", "let people decide alone"),
    "Stimulation": ("life needs excitement and adventure", "new thrilling experiences are good"),
    "Hedonism": ("it brings pleasure and fun", "people deserve to enjoy themselves"),
    "Achievement": ("success and ambition drive progress", "it rewards hard work and results"),
    "Power: dominance": ("those in control must keep authority", "it gives us power over others"),
    "Power: resources": ("it makes us wealthy", "money and property are at stake"),
    "Face": ("our reputation would suffer", "we must not be humiliated in public"),
    "Security: personal": ("it keeps my family safe and healthy", "people need a stable income"),
    "Security: societal": ("the nation must be protected from threats", "public order and safety come first"),
    "Tradition": ("we must respect the customs of our ancestors", "religious tradition should be kept"),
    "Conformity: rules": ("the law must be obeyed", "rules exist for a reason"),
    "Conformity: interpersonal": ("it would upset other people", "we should avoid annoying anyone"),
    "Humility": ("we should be modest and humble", "nobody is more important than others"),
    "Benevolence: caring": ("we must help the people close to us", "caring for friends is right"),
    "Benevolence: dependability": ("people must be able to rely on each other", "loyalty to the group matters"),
    "Universalism: concern": ("everyone deserves equal treatment and justice", "the weak must be protected"),
    "Universalism: nature": ("the environment and animals must be preserved", "pollution harms nature"),
    "Universalism: tolerance": ("we should accept people who are different", "listen to other views"),
    "Universalism: objectivity": ("decisions should rest on evidence and facts", "be rational and objective"),
}
CONCLUSIONS = ("We should ban cars in cities", "Schools should require uniforms", "Taxes should be raised",
               "Zoos should be closed", "Voting should be compulsory", "Social media should be regulated",
               "Nuclear power should be expanded", "Homework should be abolished")
HEADER = ["Argument ID", "Conclusion", "Stance", "Premise"]


def write_synthetic(folder: Path, split: str, n: int, seed: int = 0) -> Path:
    """Write ``arguments-SPLIT.tsv`` and ``labels-SPLIT.tsv`` with ``n`` arguments into ``folder``."""
    rng = random.Random(f"{seed}-{split}")
    cats = list(TOUCHE_TO_SCHWARTZ)
    folder.mkdir(parents=True, exist_ok=True)
    args, labels = ["\t".join(HEADER)], ["\t".join(["Argument ID", *cats])]
    for i in range(n):
        chosen = rng.sample(cats, rng.choice((1, 1, 2, 3)))
        premise = ", and ".join(rng.choice(PHRASES[c]) for c in chosen).capitalize() + "."
        conclusion = CONCLUSIONS[i % len(CONCLUSIONS)]
        stance = rng.choice(("in favor of", "against"))
        aid = f"A{split[0]}{i:05d}"
        args.append("\t".join([aid, conclusion, stance, premise]))
        labels.append("\t".join([aid, *("1" if c in chosen else "0" for c in cats)]))
    (folder / f"arguments-{split}.tsv").write_text("\n".join(args) + "\n", encoding="utf-8")
    (folder / f"labels-{split}.tsv").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return folder
