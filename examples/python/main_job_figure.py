#!/usr/bin/python3
"""The main job's figure from Python: accuracy vs replay-memory bytes on Fashion-MNIST
(raw images, five compressors, four budgets), run in-process, tabulated with pandas and
plotted by nncompress's report (HTML + PNG).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/main_job_figure.py results/py-main
    ... --quick    # a few hundred samples and one pass: checks the script, not the science
"""
import sys

import nncompress

out = sys.argv[1] if len(sys.argv) > 1 else "results/py-main"
quick = "--quick" in sys.argv
fixed = dict(dataset="fashion-mnist", num_tasks=5, num_classes_per_task=2, backbone_width=0.125,
             num_passes=1 if quick else 4, limit_test=200 if quick else 2000, threads=1)
if quick:
    fixed["limit_train"] = 3000
lines = [dict(compressor="none"), dict(compressor="thinning", compression_factor=0.75),
         dict(compressor="quantization", n_states=4), dict(compressor="resize", resize_factor=2, resize_bits=4),
         dict(compressor="jpeg", jpeg_quality=50)]
budgets = ["100KiB"] if quick else ["100KiB", "156800B", "392000B", "784000B"]
for budget in budgets:
    for line in lines:
        rec = nncompress.run("replay", out=out, memory_bytes=budget, **fixed, **line)
        print(f"{budget:>8} {rec['tags']['method']:<28} accuracy {rec['metrics']['final_accuracy']:.3f}")

df = nncompress.results.load(out, kind="replay")
print(df.pivot_table(index="method", columns="memory_budget_bytes", values="final_accuracy").round(3))
print("figure:", nncompress.report(out)["html"])
