#!/usr/bin/env python3
"""Reference outputs of torchvision's ResNet-18/34 for test-replay-torchvision.

For each architecture: a randomly initialised torchvision model whose BatchNorm layers get
random affine parameters and running statistics (so eval-mode BN is not the identity),
saved as a .pth and converted by scripts/torchvision_to_safetensors.py --state-dict exactly
as a user would convert downloaded weights. Then <arch>_reference.safetensors holds a
fixed uint8 batch, the normalisation constants, torchvision's features at every cut the
CutR encoder supports (computed with the encoder's preprocessing) and the full model's logits.

Usage: torchvision_reference.py OUT_DIR
"""
import os
import subprocess
import sys

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "torchvision_to_safetensors.py")
sys.path.insert(0, os.path.dirname(SCRIPT))
from torchvision_to_safetensors import write_safetensors  # noqa: E402

# CIFAR-10's normalisation, as the encoder receives it for cifar10.
MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2023, 0.1994, 0.2010]


def randomise_batchnorm(model, gen):
    """Eval-mode BN with default statistics is nearly the identity and would hide a wrong
    running_mean/running_var mapping; random values make every buffer matter."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = torch.rand(n, generator=gen) + 0.5
            m.bias.data = torch.randn(n, generator=gen) * 0.2
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.2)
            m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)
            m.num_batches_tracked.fill_(int(torch.randint(1, 10000, (1,), generator=gen)))


def cut_features(model, x):
    """Outputs after layer k (cut k) and after the first block of layer k+1 (cut k.5)."""
    out = {}
    y = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    for g, layer in enumerate([model.layer1, model.layer2, model.layer3, model.layer4], start=1):
        for i, block in enumerate(layer):
            y = block(y)
            if i == 0 and g >= 3:
                out[f"features.{g - 1}.5"] = y
        out[f"features.{g}"] = y
    return out


def write_reference(arch, seed, out_dir):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = getattr(torchvision.models, arch)(weights=None)
    randomise_batchnorm(model, gen)
    model.eval()
    pth = os.path.join(out_dir, f"{arch}.pth")
    torch.save(model.state_dict(), pth)
    weights = os.path.join(out_dir, f"{arch}.safetensors")
    subprocess.run([sys.executable, SCRIPT, "--arch", arch, "--state-dict", pth, "--out", weights],
                   check=True)
    os.remove(pth)  # 45-85 MB each; only the converted file is read from here on
    if arch == "resnet18":  # the no-download path the script offers for tests
        subprocess.run([sys.executable, SCRIPT, "--arch", arch, "--random-init", "--out",
                        os.path.join(out_dir, f"{arch}_random_init.safetensors")], check=True)

    # Non-square on purpose: a height/width mix-up changes the shapes.
    images = torch.randint(0, 256, (4, 3, 40, 48), generator=gen, dtype=torch.uint8)
    mean = torch.tensor(MEAN).view(1, -1, 1, 1)
    std = torch.tensor(STD).view(1, -1, 1, 1)
    x = (images.to(torch.float32) / 255.0 - mean) / std  # the encoder's preprocessing
    with torch.no_grad():
        ref = cut_features(model, x)
        ref["logits"] = model(x)
    ref.update({"images": images, "inputs": x, "mean": torch.tensor(MEAN), "std": torch.tensor(STD)})
    write_safetensors(ref, os.path.join(out_dir, f"{arch}_reference.safetensors"),
                      {"model": arch, "torch": torch.__version__, "torchvision": torchvision.__version__},
                      torch)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)  # one deterministic reduction order; the batch is small
    write_reference("resnet18", 18, out_dir)
    write_reference("resnet34", 34, out_dir)


if __name__ == "__main__":
    main()
