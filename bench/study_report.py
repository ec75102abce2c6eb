"""Tables and plots the label-savings study of bench/run_study.sh for docs/results.md.

For each part that has run (transfer-mid, transfer-low, transfer-high, scratch-mid), per
strategy over its seeds:
  - the mean validation AUC (mean ± sd) at each number of labels, and the ALC of each
    seed's curve (trapezoids over labels / the span of labels, as `salient compare`);
  - the final per-finding AUC (mean over seeds), with the rare findings apart;
  - the labels the mean curve needs to reach (a) random's final mean AUC and (b) 95 % of the
    AUC of the whole labeled pool (part `full`), by linear interpolation between rounds, and
    the saving against the labels random's mean curve needs;
  - the issue's goal as a paired test: per seed, the strategy's AUC at 70 % of the labels
    (30 % fewer) against random's final AUC (scipy.stats.ttest_rel, two-sided);
  - paired t-tests across seeds (scipy.stats.ttest_rel, two-sided, alpha = 0.05) of ALC
    between every two strategies, as a win/loss matrix. With 5 seeds a Wilcoxon signed-
    rank test cannot reach p < 0.05 (its smallest two-sided p is 2/32), so the t-test it is.
And <out>/results-<part>.png with the mean curves (gnuplot).

usage: study_report.py OUT_DIR
"""
import csv
import glob
import math
import os
import re
import statistics
import subprocess
import sys

from scipy import stats

PALETTE = ["#000000", "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#17becf",
           "#66a61e", "#e6ab02", "#1b9e77", "#7570b3", "#d95f02"]

ALPHA = 0.05
# The five least prevalent findings of the target pool (`salient inspect`: Hernia 0.35 %,
# Pneumonia 1.19 %, Fibrosis 1.53 %, Edema 2.03 %, Emphysema 2.03 %).
RARE = ["Hernia", "Pneumonia", "Fibrosis", "Edema", "Emphysema"]
PARTS = ["transfer-mid", "transfer-low", "transfer-high", "scratch-mid"]


def read_curve(study):
    with open(os.path.join(study, "curve.csv"), newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["mean_auc"]]
    points = [(int(row["labels"]), float(row["mean_auc"])) for row in rows]
    findings = {key[4:]: float(value) for key, value in rows[-1].items() if key.startswith("auc_") and value}
    return points, findings


def alc(points):
    area = sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in zip(points, points[1:]))
    return area / (points[-1][0] - points[0][0]) if len(points) > 1 else points[0][1]


def labels_to_reach(points, target):
    """The first number of labels where the curve reaches target (linear between rounds), else inf."""
    if points[0][1] >= target:
        return float(points[0][0])
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if y1 >= target:
            return x0 + (x1 - x0) * (target - y0) / (y1 - y0)
    return math.inf


def auc_at(points, labels):
    """The curve's AUC at a number of labels, linear between rounds."""
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= labels <= x1:
            return y0 + (y1 - y0) * (labels - x0) / (x1 - x0)
    return points[-1][1]


def mean_sd(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def seed_of(path):
    return int(re.search(r"seed(\d+)$", path).group(1))


def load_part(out, part):
    arms = {}
    for study in sorted(glob.glob(os.path.join(out, part, "*-seed*"))):
        if not os.path.isfile(os.path.join(study, "status.json")) or '"finished"' not in open(
                os.path.join(study, "status.json")).read():
            continue
        strategy = re.sub(r"-seed\d+$", "", os.path.basename(study))
        arms.setdefault(strategy, {})[seed_of(study)] = read_curve(study)
    return arms


def full_auc(out, start):
    values = [read_curve(s)[0][-1][1] for s in glob.glob(os.path.join(out, "full", f"{start}-seed*"))
              if os.path.isfile(os.path.join(s, "curve.csv"))]
    return statistics.mean(values) if values else None


def report_part(out, part, arms):
    # Only the seeds every strategy of the part has run, so that every mean pairs the same seeds.
    common = set.intersection(*(set(runs) for runs in arms.values()))
    arms = {strategy: {seed: runs[seed] for seed in sorted(common)} for strategy, runs in arms.items()}
    order = [s for s in ["random"] + sorted(arms) if s in arms]
    order = list(dict.fromkeys(order))
    print(f"\n## {part}\n")
    labels = [x for x, _ in next(iter(arms["random"].values()))[0]] if "random" in arms else []
    random_final = statistics.mean(run[0][-1][1] for run in arms["random"].values()) if "random" in arms else None
    full = full_auc(out, part.split("-")[0])
    print(f"seeds run by every strategy: {', '.join(str(seed) for seed in sorted(common))}")
    if random_final is not None:
        print(f"random's final mean AUC: {random_final:.4f}")
    if full is not None:
        print(f"whole labeled pool (part full, mean over seeds): {full:.4f}; 95 %: {0.95 * full:.4f}")
    print("\n| strategy | " + " | ".join(f"AUC at {x}" for x in labels) + " | ALC mean ± sd | ALC per seed |")
    print("|---|" + "---|" * (len(labels) + 2))
    means = {}
    for strategy in order:
        runs = [arms[strategy][seed][0] for seed in sorted(arms[strategy])]
        cells, means[strategy] = [], []
        for i, x in enumerate(labels):
            values = [run[i][1] for run in runs if len(run) > i]
            if not values:
                continue
            m, sd = mean_sd(values)
            means[strategy].append((x, m))
            cells.append(f"{m:.3f} ± {sd:.3f}")
        alcs = [alc(run) for run in runs]
        m, sd = mean_sd(alcs)
        print(f"| {strategy} | " + " | ".join(cells) + f" | **{m:.4f} ± {sd:.4f}** | "
              + ", ".join(f"{a:.3f}" for a in alcs) + " |")

    print("\n| strategy | labels to random's final AUC (mean curve) | saving vs random | labels to 95 % of full "
          "(mean curve) | AUC at 70 % of the labels − random's final AUC (per seed, mean) | p | final mean AUC | "
          "final AUC, rare findings (mean) |")
    print("|---|---|---|---|---|---|---|---|")
    random_labels = labels_to_reach(means["random"], random_final) if "random" in means else None
    for strategy in order:
        seeds = sorted(arms[strategy])
        reach = labels_to_reach(means[strategy], random_final) if random_final is not None else math.inf
        saving = (f"{100 * (1 - reach / random_labels):.0f} %"
                  if random_labels and math.isfinite(reach) and strategy != "random" else "—")
        reach_full = f"{labels_to_reach(means[strategy], 0.95 * full):.0f}" if full is not None else "—"
        # The goal's test: with 30 % fewer labels than random's last round, as good as random there.
        common = [s for s in seeds if s in arms.get("random", {})]
        goal = "—"
        p_text = "—"
        if strategy != "random" and len(common) >= 2:
            last = arms["random"][common[0]][0][-1][0]
            at = [auc_at(arms[strategy][s][0], 0.7 * last) for s in common]
            final = [arms["random"][s][0][-1][1] for s in common]
            goal = f"{statistics.mean(a - f for a, f in zip(at, final)):+.4f}"
            p_text = f"{stats.ttest_rel(at, final).pvalue:.3f}"
        finals = [arms[strategy][s][0][-1][1] for s in seeds]
        rare = [statistics.mean(arms[strategy][s][1][f] for f in RARE if f in arms[strategy][s][1]) for s in seeds]
        print(f"| {strategy} | {reach:.0f} | {saving} | {reach_full} | {goal} | {p_text} | "
              f"{statistics.mean(finals):.4f} | {statistics.mean(rare):.4f} |".replace("| inf |", "| not reached |"))

    findings = list(next(iter(next(iter(arms.values())).values()))[1])
    print("\nFinal AUC per finding (mean over seeds; rare findings in italics):\n")
    print("| strategy | " + " | ".join(f"*{f}*" if f in RARE else f for f in findings) + " |")
    print("|---|" + "---|" * len(findings))
    for strategy in order:
        seeds = sorted(arms[strategy])
        print(f"| {strategy} | " + " | ".join(
            f"{statistics.mean(arms[strategy][s][1].get(f, float('nan')) for s in seeds):.3f}" for f in findings) + " |")

    print("\nPaired t-tests of ALC across seeds (row against column): + row better, − row worse "
          f"(p < {ALPHA}), · no significant difference; the mean difference beside it.\n")
    print("| | " + " | ".join(order) + " |")
    print("|---|" + "---|" * len(order))
    for a in order:
        cells = []
        for b in order:
            common = sorted(set(arms[a]) & set(arms[b]))
            if a == b or len(common) < 2:
                cells.append("")
                continue
            xa = [alc(arms[a][s][0]) for s in common]
            xb = [alc(arms[b][s][0]) for s in common]
            diff = statistics.mean(x - y for x, y in zip(xa, xb))
            p = stats.ttest_rel(xa, xb).pvalue if any(x != y for x, y in zip(xa, xb)) else 1.0
            mark = "·" if not p < ALPHA else ("+" if diff > 0 else "−")
            cells.append(f"{mark} {diff:+.4f}")
        print(f"| {a} | " + " | ".join(cells) + " |")

    png = os.path.join(out, f"results-{part}.png")
    script = (f"set terminal pngcairo size 1000,600 font 'sans,11'\nset output '{png}'\n"
              f"set title '{part}: mean validation AUC over seeds' noenhanced\n"
              "set xlabel 'labels acquired'\nset ylabel 'mean validation AUC'\nset key outside right\nset grid\n")
    if full is not None:
        script += f"set arrow from graph 0, first {0.95 * full} to graph 1, first {0.95 * full} nohead dt 2\n"
    # random first and black; the others a colour each (13 strategies: no colour repeats), and a
    # dash type and point type each, so that curves stay apart in print too.
    script += "plot " + ", ".join(
        f"'-' using 1:2 with linespoints lw {3 if s == 'random' else 2} lc rgb '{PALETTE[i % len(PALETTE)]}' "
        f"dt {1 + i % 4} pt {1 + i % 13} title '{s}'" for i, s in enumerate(order)) + "\n"
    for strategy in order:
        script += "".join(f"{x} {y:.6f}\n" for x, y in means[strategy]) + "e\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"\nmean curves: {png}")


def report_recipe(out):
    runs = sorted(glob.glob(os.path.join(out, "recipe", "lr*-seed*")))
    if not runs:
        return
    print("## recipe pilot (random selection on source patients)\n\n| recipe | ALC per seed | mean ALC |\n|---|---|---|")
    recipes = {}
    for study in runs:
        if os.path.isfile(os.path.join(study, "curve.csv")):
            recipes.setdefault(re.sub(r"-seed\d+$", "", os.path.basename(study)), []).append(alc(read_curve(study)[0]))
    for recipe, alcs in recipes.items():
        print(f"| {recipe} | {', '.join(f'{a:.4f}' for a in alcs)} | {statistics.mean(alcs):.4f} |")


def main():
    out = sys.argv[1]
    report_recipe(out)
    for part in PARTS:
        arms = load_part(out, part)
        if arms:
            report_part(out, part, arms)


if __name__ == "__main__":
    main()
