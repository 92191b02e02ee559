"""GPT-2-style decoders written in torch (sim/README.md "Generative decoding"), as GPT-2's reference implementation
and nanoGPT write them: pre-LayerNorm blocks of causal multi-head attention (one fused QKV projection, the
mask a constant lower-triangular buffer applied with masked_fill(-inf)) and an MLP of 4 x the width with the
tanh GELU, then a final LayerNorm and the language-model head. The model reads token embeddings (N x T x D;
the token and position embedding lookup is a table read outside the accelerator).

  gpt2_block: one GPT-2 block at GPT-2 small's size (768 features, 12 heads, an MLP of 3,072).
  gpt2_tiny:  the zoo's small decoder (sim/zoo/decoder.cpp): 2 blocks of 32 features, 2 heads, an MLP of 64 and a
              vocabulary of 64.
"""
import math

import torch
import torch.nn.functional as F

# name: (blocks, width, heads, mlp, vocab; 0: a block alone, no final LayerNorm or head)
SIZES = {"gpt2_block": (1, 768, 12, 3072, 0), "gpt2_tiny": (2, 32, 2, 64, 64)}
MAX_TOKENS = 1024  # GPT-2's context: the mask buffer's size


class CausalSelfAttention(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = torch.nn.Linear(width, 3 * width)
        self.c_proj = torch.nn.Linear(width, width)
        self.register_buffer("bias", torch.tril(torch.ones(MAX_TOKENS, MAX_TOKENS)).view(1, 1, MAX_TOKENS,
                                                                                          MAX_TOKENS))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (y.view(b, t, self.heads, c // self.heads).transpose(1, 2) for y in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(c // self.heads))
        scores = scores.masked_fill(self.bias[:, :, :t, :t] == 0, float("-inf"))
        y = F.softmax(scores, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))

    def attention_macs(self, x):
        """Q.K^T and P.V (the projections are Linear modules, counted apart): 2 x T^2 x D per sequence."""
        b, t, c = x.shape
        return 2 * b * t * t * c


class Block(torch.nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.ln_1 = torch.nn.LayerNorm(width)
        self.attn = CausalSelfAttention(width, heads)
        self.ln_2 = torch.nn.LayerNorm(width)
        self.c_fc = torch.nn.Linear(width, mlp)
        self.c_proj = torch.nn.Linear(mlp, width)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Decoder(torch.nn.Module):
    def __init__(self, blocks, width, heads, mlp, vocab):
        super().__init__()
        self.blocks = torch.nn.Sequential(*[Block(width, heads, mlp) for _ in range(blocks)])
        self.ln_f = torch.nn.LayerNorm(width) if vocab else torch.nn.Identity()
        self.lm_head = torch.nn.Linear(width, vocab) if vocab else torch.nn.Identity()

    def forward(self, x):
        return self.lm_head(self.ln_f(self.blocks(x)))


def decoder(name):
    return Decoder(*SIZES[name])
