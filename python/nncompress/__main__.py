"""python3 -m nncompress: what this module offers (a check that it imports)."""
import nncompress
from nncompress import replay

print(f"nncompress {nncompress.__version__} (Python module)")
print("kinds:      ", " ".join(nncompress.kinds()))
print("compressors:", " ".join(replay.compressors()))
print("encoders:   ", " ".join(replay.encoders()))
