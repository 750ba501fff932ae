# Writes the committed fixtures (run once with torch installed: python3 make_fixtures.py).
# small.ckpt: a Lightning-shaped torch.save dict; evil.ckpt: a zip whose data.pkl calls os.system.
import collections, io, os, pickle, zipfile
import torch

state = collections.OrderedDict()
state["layer.weight"] = torch.nn.Parameter(torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4)
state["layer.bias"] = torch.tensor([0.5, -1.5])
state["transposed"] = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()  # strided view
state["sliced"] = torch.arange(5, dtype=torch.float64)[1:4]                    # storage offset
state["half"] = torch.tensor([1.0, 2.5], dtype=torch.float16)
state["bn.num_batches_tracked"] = torch.tensor(7)
state["mask"] = torch.tensor([True, False, True])
torch.save({
    "epoch": 3, "global_step": 42, "pytorch-lightning_version": "2.5.0",
    "state_dict": state,
    "hyper_parameters": {"hidden": 8, "lr": 0.01, "name": "mlp", "flag": True},
    "optimizer_states": [{"state": {0: {"step": torch.tensor(42.0), "exp_avg": torch.zeros(2, 3)}},
                          "param_groups": [{"lr": 0.01, "params": [0, 1]}]}],
    "lr_schedulers": [],
}, "small.ckpt")

class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/pwned-swift-lightning-fixture",))

with zipfile.ZipFile("evil.ckpt", "w", zipfile.ZIP_STORED) as z:
    z.writestr("evil/data.pkl", pickle.dumps({"state_dict": Evil()}, protocol=2))
    z.writestr("evil/version", "3\n")
