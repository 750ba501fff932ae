# PyTorch eager's training step on the GPU for the proof's ratios (scripts/gpu-proof.sh): the
# models of swift-lightning-bench's `gpu` figures, SGD with momentum, cross entropy, the loss read
# back every step (as the Swift step does). Prints `step_ms X`: the median step of an epoch after a
# warm-up epoch. fp32 with TF32 off (PyTorch's default for matmul, and ours).
import statistics, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

kind = sys.argv[1] if len(sys.argv) > 1 else "mlp"
torch.manual_seed(0)
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
device = torch.device("cuda")
if kind == "mlp":
    batch, steps, shape = 64, 128, (784,)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
elif kind == "cnn":
    batch, steps, shape = 64, 128, (1, 28, 28)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
else:
    batch, steps, shape = 1024, 32, (784,)
    model = nn.Sequential(nn.Linear(784, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 10))
model = model.to(device)
x = torch.randn(steps * batch, *shape, device=device)
y = torch.randint(0, 10, (steps * batch,), device=device)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

def step(i):
    xb, yb = x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]
    loss = F.cross_entropy(model(xb), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()

for i in range(steps):
    step(i)
times = []
for i in range(steps):
    start = time.perf_counter()
    step(i)
    times.append(time.perf_counter() - start)
print(f"step_ms {statistics.median(times) * 1000:.4f}")
