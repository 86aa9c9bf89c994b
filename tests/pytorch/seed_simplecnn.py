"""The seed experiment's SimpleCNN, unmodified, driven from the C# tests (tests/MlNetCnn.Tests/Interop).

  forward STATE_DICT IMAGES N OUT_DIR [PADDING_MODE]
      loads STATE_DICT into SimpleCNN with load_state_dict (strict), runs IMAGES (N x 3 x 32 x 32 float32,
      little-endian, raw) and writes OUT_DIR/logits.f32, conv1.f32 and conv2.f32 (feature_maps1/2: after ReLU,
      before pooling, as the seed saves them). PADDING_MODE 'circular' uses CircularSimpleCNN instead.
  train IMAGES LABELS N STEPS SEED OUT_STATE_DICT OUT_DIR
      trains SimpleCNN with the seed's procedure (Adam lr 0.001, cross-entropy, batch 4) for STEPS batches on the
      first images, saves torch.save(model.state_dict(), OUT_STATE_DICT), then writes the logits of all N images
      to OUT_DIR/logits.f32.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


# Define a simple CNN  (copied from the seed experiment, unchanged)
class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, kernel_size=3, padding=1)  # 3 input channels, 6 filters
        self.conv2 = nn.Conv2d(6, 12, kernel_size=3, padding=1) # 6 input channels, 12 filters
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(12 * 8 * 8, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))  # After conv1 + relu
        self.feature_maps1 = x.detach()       # Save feature maps after first conv
        x = self.pool(x)  # Pooling after conv1
        x = F.relu(self.conv2(x))  # After conv2 + relu
        self.feature_maps2 = x.detach()       # Save feature maps after second conv
        x = self.pool(x)  # Pooling after conv2
        x = x.view(-1, 12 * 8 * 8)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


class CircularSimpleCNN(SimpleCNN):
    """The seed's class as a user adapts it for a model trained with --padding circular: only padding_mode changes."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, kernel_size=3, padding=1, padding_mode='circular')
        self.conv2 = nn.Conv2d(6, 12, kernel_size=3, padding=1, padding_mode='circular')


def read_images(path, n):
    data = open(path, "rb").read()
    return torch.frombuffer(bytearray(data), dtype=torch.float32).reshape(n, 3, 32, 32).clone()


def write(path, tensor):
    with open(path, "wb") as f:
        f.write(tensor.detach().contiguous().to(torch.float32).numpy().tobytes())


def forward(state_dict, images, n, out_dir, padding_mode="zeros"):
    torch.set_num_threads(1)
    model = CircularSimpleCNN() if padding_mode == "circular" else SimpleCNN()
    model.load_state_dict(torch.load(state_dict))
    model.eval()
    with torch.no_grad():
        logits = model(read_images(images, n))
    write(os.path.join(out_dir, "logits.f32"), logits)
    write(os.path.join(out_dir, "conv1.f32"), model.feature_maps1)
    write(os.path.join(out_dir, "conv2.f32"), model.feature_maps2)


def train(images, labels, n, steps, seed, out_state_dict, out_dir):
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x = read_images(images, n)
    y = torch.frombuffer(bytearray(open(labels, "rb").read()), dtype=torch.int64).clone()
    model = SimpleCNN()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    for step in range(steps):
        start = (step * 4) % n
        batch, target = x[start:start + 4], y[start:start + 4]
        optimizer.zero_grad()
        loss = criterion(model(batch), target)
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), out_state_dict)
    model.eval()
    with torch.no_grad():
        write(os.path.join(out_dir, "logits.f32"), model(x))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "forward":
        forward(args[0], args[1], int(args[2]), args[3], *args[4:5])
    elif command == "train":
        train(args[0], args[1], int(args[2]), int(args[3]), int(args[4]), args[5], args[6])
    else:
        sys.exit(f"unknown command {command}")
