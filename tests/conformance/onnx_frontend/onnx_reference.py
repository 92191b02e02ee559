"""The numpy float64 reference operators and the graph-building helpers of make_models.py and
operator_models.py (one module, so that both draw from one random generator in one order: rerunning
make_models.py rewrites every committed case byte for byte)."""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261206)


# --- numpy reference operators (NCHW, float64) ---
def conv(x, w, b, pad=0, stride=1, group=1):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    y = np.zeros((n, m, oh, ow))
    per = m // group
    for o in range(m):
        g = o // per
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, g * cg:(g + 1) * cg, i * stride:i * stride + kh, j * stride:j * stride + kw]
                y[:, o, i, j] = (patch * w[o]).sum(axis=(1, 2, 3)) + b[o]
    return y


def bn(x, scale, bias, mean, var, eps=1e-5):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * scale.reshape(shape) + bias.reshape(
        shape)


def pool_out_size(size, k, s, p, ceil):
    """aten's pooling_output_shape: with ceil_mode, one more window unless it would start past the input and
    its leading padding."""
    o = (size + 2 * p - (k - 1) - 1 + ((s - 1) if ceil else 0)) // s + 1
    if ceil and (o - 1) * s >= size + p:
        o -= 1
    return o


def pool(x, k, s, p, ceil, mode):
    """PyTorch's max or average pooling (count_include_pad=False): output size with ceil_mode as
    aten's pooling_output_shape, each window over the positions inside the input."""
    n, c, h, w = x.shape
    oh, ow = pool_out_size(h, k, s, p, ceil), pool_out_size(w, k, s, p, ceil)
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s - p, j * s - p
            win = x[:, :, max(r0, 0):min(r0 + k, h), max(c0, 0):min(c0 + k, w)]
            y[:, :, i, j] = win.max(axis=(2, 3)) if mode == "max" else win.mean(axis=(2, 3))
    return y


def relu(x):
    return np.maximum(x, 0)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def hard_sigmoid(x, alpha=np.float32(1 / 6), beta=0.5):  # torch exports alpha as the float32 nearest 1/6
    return np.clip(float(alpha) * x + beta, 0, 1)


def pool_include_pad(x, k, s, p, ceil):
    """PyTorch's average pooling with count_include_pad=True: zeros padded, windows clipped at the padded
    edge (ceil mode's extra windows count only what they reach of input and padding)."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    oh, ow = pool_out_size(h, k, s, p, ceil), pool_out_size(w, k, s, p, ceil)
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = xp[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
    return y


def gemm(x, w, b):  # w: units x k (transB = 1, as torch exports Linear)
    return x @ w.T + b


# --- graph building ---
def init(name, array):
    array = np.asarray(array)
    return numpy_helper.from_array(array.astype(np.float32) if array.dtype.kind == "f" else array, name)


def weights(*shape):
    return rng.normal(0, 0.5, size=shape).astype(np.float32)


def model(nodes, inputs, outputs, initializers, opset=13):
    g = helper.make_graph(nodes, "frontend", inputs, outputs, initializers)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="deepchip-dse tests")
    m.ir_version = 7
    return m


def value(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save_case(name, m, x, y, check=True):
    if check:
        onnx.checker.check_model(m)
    d = os.path.join(HERE, name)
    os.makedirs(os.path.join(d, "test_data_set_0"), exist_ok=True)
    onnx.save(m, os.path.join(d, "model.onnx"))
    for what, t in (("input_0", x), ("output_0", y)):
        with open(os.path.join(d, "test_data_set_0", what + ".pb"), "wb") as f:
            f.write(numpy_helper.from_array(np.asarray(t, dtype=np.float32)).SerializeToString())


def save_invalid(name, m):
    d = os.path.join(HERE, "invalid")
    os.makedirs(d, exist_ok=True)
    onnx.save(m, os.path.join(d, name + ".onnx"))
