"""The `--variant mobile` network of scripts/train (train_fmnist.py): a small MobileNetV3/EfficientNet-style
CNN for Fashion-MNIST that uses the operators of the modern torchvision families, so that a trained model
exercises them through the DSE's integer path: HardSwish (exported as x * HardSigmoid(x)), depthwise convs,
squeeze-excitation gates with HardSigmoid and with Sigmoid (a Mul broadcasting N x C x 1 x 1), SiLU
(x * Sigmoid(x)), an inverted residual Add, and a two-branch Concat.

  28x28x1 -> conv 3x3 16 BN HardSwish
          -> dw 3x3/2 BN ReLU, SE(16 -> 8 -> 16, HardSigmoid), 1x1 -> 24 BN                       (14x14)
          -> 1x1 -> 72 BN HardSwish, dw 3x3/2 BN HardSwish, SE(72 -> 24 -> 72, Sigmoid), 1x1 -> 40 BN   (7x7)
          -> inverted residual: 1x1 -> 96 BN SiLU, dw 3x3 BN SiLU, 1x1 -> 40 BN, + input
          -> Concat(1x1 -> 32 BN HardSwish, 3x3 -> 32 BN HardSwish)                                  (7x7x64)
          -> global average pool -> Linear 64 -> 128 HardSwish -> Linear 128 -> 10
"""
from torch import nn


def conv_bn(cin, cout, k, stride=1, groups=1, act=None):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, act) if act is not None else nn.Sequential(*layers)


class SqueezeExcite(nn.Module):
    def __init__(self, channels, squeezed, gate):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.reduce = nn.Conv2d(channels, squeezed, 1)
        self.relu = nn.ReLU()
        self.expand = nn.Conv2d(squeezed, channels, 1)
        self.gate = gate

    def forward(self, x):
        return x * self.gate(self.expand(self.relu(self.reduce(self.pool(x)))))


class InvertedResidual(nn.Module):
    def __init__(self, channels, expanded):
        super().__init__()
        self.body = nn.Sequential(conv_bn(channels, expanded, 1, act=nn.SiLU()),
                                  conv_bn(expanded, expanded, 3, groups=expanded, act=nn.SiLU()),
                                  conv_bn(expanded, channels, 1))

    def forward(self, x):
        return x + self.body(x)


class TwoBranches(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a = conv_bn(cin, cout, 1, act=nn.Hardswish())
        self.b = conv_bn(cin, cout, 3, act=nn.Hardswish())

    def forward(self, x):
        import torch
        return torch.cat([self.a(x), self.b(x)], 1)


class MobileNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(1, 16, 3, act=nn.Hardswish()),
            conv_bn(16, 16, 3, stride=2, groups=16, act=nn.ReLU()),
            SqueezeExcite(16, 8, nn.Hardsigmoid()),
            conv_bn(16, 24, 1),
            conv_bn(24, 72, 1, act=nn.Hardswish()),
            conv_bn(72, 72, 3, stride=2, groups=72, act=nn.Hardswish()),
            SqueezeExcite(72, 24, nn.Sigmoid()),
            conv_bn(72, 40, 1),
            InvertedResidual(40, 96),
            TwoBranches(40, 32),
            nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.Hardswish(), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))
