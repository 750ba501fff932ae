# Writes pytorch_lightning_tiny.ckpt (run once with torch: python3 make_lightning_ckpt.py): the
# dict PyTorch Lightning saves for TinyClassifier (net = Linear(4, 3)), weights (k - 6) / 10.
import collections, torch

state = collections.OrderedDict()
state["net.weight"] = (torch.arange(12, dtype=torch.float32).reshape(3, 4) - 6) / 10
state["net.bias"] = torch.tensor([0.1, -0.2, 0.3])
torch.save({
    "epoch": 1, "global_step": 14, "pytorch-lightning_version": "2.5.0",
    "state_dict": state,
    "hyper_parameters": {"width": 3},
    "optimizer_states": [{"state": {}, "param_groups": [{"lr": 0.3, "momentum": 0, "params": [0, 1]}]}],
    "lr_schedulers": [],
    "loops": {"fit_loop": {"epoch_progress": {"current": {"completed": 1}}}},
    "callbacks": {},
}, "pytorch_lightning_tiny.ckpt")
