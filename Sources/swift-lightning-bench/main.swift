import LightningTensor
print("bench")
