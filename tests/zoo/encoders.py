"""BERT-style encoders written in torch (the zoo's bert_tiny and bert_base; sim/README.md "Network formats"): the
embedding LayerNorm, then post-LayerNorm encoder layers of nn.TransformerEncoderLayer with exact GELU, as
BERT's (Devlin et al., 2019) with Google's published sizes: BERT-Base 12 layers of 768 features, 12 heads,
an MLP of 3,072; BERT-Tiny 2 layers of 128, 2 heads, 512. The model reads token embeddings (N x T x D): the
embedding lookup of token ids is a table read outside the accelerator. And vit_tiny, a small ViT."""
import torch

SIZES = {"bert_tiny": (2, 128, 2, 512), "bert_base": (12, 768, 12, 3072)}


class Encoder(torch.nn.Module):
    def __init__(self, layers, width, heads, mlp):
        super().__init__()
        self.norm = torch.nn.LayerNorm(width, eps=1e-12)
        layer = torch.nn.TransformerEncoderLayer(width, heads, mlp, dropout=0.0, activation="gelu",
                                                 batch_first=True, norm_first=False, layer_norm_eps=1e-12)
        self.encoder = torch.nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, x):
        return self.encoder(self.norm(x))


def encoder(name):
    return Encoder(*SIZES[name])


def vit_tiny(image_size):
    """The zoo's small ViT: torchvision's VisionTransformer with DeiT-Tiny's width (192 features, 3 heads, an
    MLP of 768) and 4 layers over 4 x 4 patches (a 32 x 32 image is 64 tokens and the class token), 10 classes."""
    import torchvision
    return torchvision.models.VisionTransformer(image_size=image_size, patch_size=4, num_layers=4, num_heads=3,
                                                hidden_dim=192, mlp_dim=768, num_classes=10)
