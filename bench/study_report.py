"""Tables and plots the synthetic study of bench/run_study.sh for docs/results.md: for each
strategy, the mean validation AUC (mean ± sd over its seeds) at each number of labels, the
ALC of each seed's curve (trapezoids over labels / the span of labels, as `salient compare`
prints it) and its mean ± sd, and results-curves.png with the mean curves (gnuplot).

usage: study_report.py OUT_DIR STRATEGY...
"""
import csv
import glob
import os
import statistics
import subprocess
import sys


def curve(study):
    with open(os.path.join(study, "curve.csv"), newline="") as file:
        return [(int(row["labels"]), float(row["mean_auc"])) for row in csv.DictReader(file) if row["mean_auc"]]


def alc(points):
    area = sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in zip(points, points[1:]))
    return area / (points[-1][0] - points[0][0]) if len(points) > 1 else points[0][1]


def mean_sd(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def main():
    out, strategies = sys.argv[1], sys.argv[2:]
    curves = {s: [curve(d) for d in sorted(glob.glob(os.path.join(out, f"{s}-seed*")))] for s in strategies}
    labels = [x for x, _ in curves[strategies[0]][0]]
    print("| strategy | " + " | ".join(f"AUC at {x}" for x in labels) + " | ALC per seed | ALC mean ± sd |")
    print("|---|" + "---|" * (len(labels) + 2))
    means = {}
    for strategy in strategies:
        runs = curves[strategy]
        cells, means[strategy] = [], []
        for i, x in enumerate(labels):
            values = [run[i][1] for run in runs if len(run) > i]
            m, sd = mean_sd(values)
            means[strategy].append((x, m))
            cells.append(f"{m:.3f} ± {sd:.3f}")
        alcs = [alc(run) for run in runs]
        m, sd = mean_sd(alcs)
        print(f"| {strategy} | " + " | ".join(cells) + f" | {', '.join(f'{a:.3f}' for a in alcs)} | "
              f"**{m:.3f} ± {sd:.3f}** |")
    png = os.path.join(out, "results-curves.png")
    script = (f"set terminal pngcairo size 900,600 font 'sans,11'\nset output '{png}'\n"
              "set title 'synthetic study: mean validation AUC over 3 seeds' noenhanced\n"
              "set xlabel 'labels acquired'\nset ylabel 'mean validation AUC'\nset key bottom right\nset grid\n"
              "plot " + ", ".join(f"'-' using 1:2 with linespoints lw 2 title '{s}'" for s in strategies) + "\n")
    for strategy in strategies:
        script += "".join(f"{x} {y:.6f}\n" for x, y in means[strategy]) + "e\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"\nmean curves: {png}")


if __name__ == "__main__":
    main()
