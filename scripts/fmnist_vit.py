"""The `--variant vit` network of scripts/train (train_fmnist.py): a small vision transformer for
Fashion-MNIST that exercises the transformer operators through the DSE's integer path: a patch embedding
(conv 7x7 stride 7), a class token concatenated, positional embeddings added, pre-LayerNorm encoder layers of
multi-head attention (Q.K^T, Softmax, P.V) and a GELU MLP with residual Adds, a final LayerNorm and the class
token's Linear head.

  28x28x1 -> conv 7x7/7 -> 4x4x64 -> 16 tokens of 64, + class token, + positions (17 x 64)
          -> 4 x [LayerNorm, 4-head attention, + ; LayerNorm, Linear 64 -> 128 GELU Linear 128 -> 64, +]
          -> LayerNorm -> token 0 -> Linear 64 -> 10
"""
import torch
from torch import nn


class VisionTransformer(nn.Module):
    def __init__(self, width=64, layers=4, heads=4, mlp=128, patch=7, image=28):
        super().__init__()
        tokens = (image // patch) ** 2
        self.patch = nn.Conv2d(1, width, patch, patch)
        self.class_token = nn.Parameter(torch.zeros(1, 1, width))
        self.positions = nn.Parameter(torch.randn(1, tokens + 1, width) * 0.02)
        layer = nn.TransformerEncoderLayer(width, heads, mlp, dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.class_token.expand(x.shape[0], -1, -1), x], dim=1) + self.positions
        return self.head(self.norm(self.encoder(x))[:, 0])
