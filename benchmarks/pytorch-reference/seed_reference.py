"""The seed experiment's procedure in PyTorch, on the same CIFAR-10 binary files, for same-machine comparisons.

Usage: /usr/bin/python3 benchmarks/pytorch-reference/seed_reference.py [CIFAR_DIR] [--epochs N] [--threads N] [--seed S]
Needs Debian's python3-torch (apt-get install python3-torch); reads the binary batches with numpy only.
Prints training images/s at batch 4 (Adam lr 0.001, cross-entropy, reshuffled each epoch), forward images/s at
batch 64, test accuracy after the given epochs and the process's peak RSS.
"""
import argparse
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RECORD = 1 + 3 * 32 * 32


def read_batches(directory, names):
    raw = np.concatenate([np.fromfile(os.path.join(directory, n), dtype=np.uint8).reshape(-1, RECORD) for n in names])
    labels = torch.from_numpy(raw[:, 0].astype(np.int64))
    # Same scaling as MlNetCnn's reader and ML.NET's ExtractPixels: byte * (1/255), planar CHW.
    images = torch.from_numpy(raw[:, 1:].astype(np.float32) * np.float32(1.0 / 255)).reshape(-1, 3, 32, 32)
    return images, labels


class SeedCnn(nn.Module):
    """conv 3->6 -> ReLU -> pool -> conv 6->12 -> ReLU -> pool -> 768 -> 120 -> 10, as MlNetCnn's default."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 12, 3, padding=1)
        self.fc1 = nn.Linear(12 * 8 * 8, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", nargs="?", default="../shared/cifar-10-subset")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1, help="seeds the initial weights and the shuffle")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    train_x, train_y = read_batches(args.directory, [f"data_batch_{i}.bin" for i in range(1, 6)])
    test_x, test_y = read_batches(args.directory, ["test_batch.bin"])
    model = SeedCnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)

    seconds = 0.0
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_y), generator=generator)
        start = time.perf_counter()
        for b in range(0, len(order), 4):
            index = order[b:b + 4]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
        seconds += time.perf_counter() - start
    print(f"training: {len(train_y) * args.epochs / seconds:.0f} images/s (batch 4, {args.threads} thread(s))")

    model.eval()
    with torch.no_grad():
        start = time.perf_counter()
        for _ in range(5):
            for b in range(0, len(test_y), 64):
                model(test_x[b:b + 64])
        forward = 5 * len(test_y) / (time.perf_counter() - start)
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(f"forward: {forward:.0f} images/s (batch 64)")
    print(f"test accuracy after {args.epochs} epoch(s): {accuracy:.4%}")
    # ru_maxrss is in KiB on Linux: the process's peak resident memory (all images as float32 here).
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
