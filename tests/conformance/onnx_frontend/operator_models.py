"""The hand-made graphs of the operators the modern torchvision families need (squeeze-excitation gates,
ShuffleNet's chunk/Concat/channel shuffle, Pad and count_include_pad with affines), written by
make_models.py after its other cases."""
import numpy as np
from onnx import helper, numpy_helper

from onnx_reference import (bn, conv, gemm, hard_sigmoid, init, model, pool, pool_include_pad, relu, rng,  # noqa: F401
                            save_case, sigmoid, value, weights)


def conv_node(x, w, b, y, k, pad=0, group=1):
    return helper.make_node("Conv", [x, w, b], [y], name=y, kernel_shape=[k, k], pads=[pad] * 4, group=group)


def ints(name, values):
    return helper.make_node("Constant", [], [name], name=name, value=numpy_helper.from_array(np.array(values, np.int64)))


def squeeze_excite_gates():
    """MobileNetV3 and EfficientNet blocks as torch exports them: HardSwish as x * HardSigmoid(x) and SiLU as
    x * Sigmoid(x) (each one lookup), a squeeze-excitation gate (GlobalAveragePool, 1x1 convs, HardSigmoid or
    Sigmoid, a Mul broadcasting N x C x 1 x 1 over the map, in either operand order), a Sigmoid read twice (no
    fusion: a lookup and a Mul of two maps), and ONNX's own HardSwish (opset 14)."""
    x = rng.normal(size=(1, 3, 6, 6)).astype(np.float32)
    w1, b1 = weights(4, 3, 3, 3), weights(4)
    ws1, bs1, ws2, bs2 = weights(2, 4, 1, 1), weights(2), weights(4, 2, 1, 1), weights(4)
    w2, b2 = weights(4, 4, 1, 1), weights(4)
    x64 = x.astype(np.float64)
    c1 = conv(x64, w1, b1, pad=1)
    h = c1 * hard_sigmoid(c1)
    s = relu(conv(h.mean(axis=(2, 3), keepdims=True), ws1, bs1))
    g = hard_sigmoid(conv(s, ws2, bs2))
    e = h * g
    c2 = conv(e, w2, b2)
    silu = c2 * sigmoid(c2)
    t = silu * sigmoid(silu) + sigmoid(silu)
    y = t * np.clip(t / 6 + 0.5, 0, 1)
    nodes = [
        conv_node("x", "w1", "b1", "c1", 3, pad=1),
        helper.make_node("HardSigmoid", ["c1"], ["hs1"], name="hs1", alpha=float(np.float32(1 / 6))),
        helper.make_node("Mul", ["c1", "hs1"], ["h"], name="hardswish"),
        helper.make_node("GlobalAveragePool", ["h"], ["sq"], name="squeeze"),
        conv_node("sq", "ws1", "bs1", "s1", 1),
        helper.make_node("Relu", ["s1"], ["s1r"], name="s1r"),
        conv_node("s1r", "ws2", "bs2", "s2", 1),
        helper.make_node("HardSigmoid", ["s2"], ["gate"], name="gate", alpha=float(np.float32(1 / 6))),
        helper.make_node("Mul", ["gate", "h"], ["e"], name="excite"),
        conv_node("e", "w2", "b2", "c2", 1),
        helper.make_node("Sigmoid", ["c2"], ["sg"], name="sg"),
        helper.make_node("Mul", ["sg", "c2"], ["silu"], name="silu"),
        helper.make_node("Sigmoid", ["silu"], ["twice"], name="twice"),
        helper.make_node("Mul", ["silu", "twice"], ["prod"], name="prod"),
        helper.make_node("Add", ["prod", "twice"], ["t"], name="sum"),
        helper.make_node("HardSwish", ["t"], ["y"], name="onnx_hardswish"),
    ]
    inits = [init(k, v) for k, v in (("w1", w1), ("b1", b1), ("ws1", ws1), ("bs1", bs1), ("ws2", ws2),
                                     ("bs2", bs2), ("w2", w2), ("b2", b2))]
    save_case("squeeze_excite_gates",
              model(nodes, [value("x", [1, 3, 6, 6])], [value("y", [1, 4, 6, 6])], inits, opset=14), x, y)


def concat_split_shuffle():
    """ShuffleNetV2's unit as torch exports it (chunk as Slice with computed bounds, a branch, Concat, the
    channel shuffle as Reshape 5-D / Transpose / Reshape back), Split with sizes, and a SqueezeNet-style
    Concat of a ReLU'd and a plain branch (different scales requantized to one)."""
    x = rng.normal(size=(1, 4, 5, 5)).astype(np.float32)
    wb, bb, wc, bc = weights(2, 2, 3, 3), weights(2), weights(3, 4, 1, 1), weights(3)
    x64 = x.astype(np.float64)
    a, b = x64[:, :2], x64[:, 2:]
    cat = np.concatenate([a, relu(conv(b, wb, bb, pad=1))], axis=1)
    shuffled = cat.reshape(1, 2, 2, 5, 5).transpose(0, 2, 1, 3, 4).reshape(1, 4, 5, 5)
    p1, p2 = shuffled[:, :1], shuffled[:, 1:]
    y = np.concatenate([relu(conv(shuffled, wc, bc)), p2 * 3.0, p1], axis=1)
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        ints("one", [1]), ints("zero", [0]), ints("two", [2]),
        helper.make_node("Gather", ["shape", "one"], ["channels"], name="channels", axis=0),
        helper.make_node("Add", ["channels", "one"], ["c_plus"], name="c_plus"),
        helper.make_node("Div", ["c_plus", "two"], ["half"], name="half"),
        helper.make_node("Mul", ["half", "two"], ["end"], name="end"),
        helper.make_node("Slice", ["x", "zero", "half", "one"], ["a"], name="chunk_a"),
        helper.make_node("Slice", ["x", "half", "end", "one"], ["b"], name="chunk_b"),
        conv_node("b", "wb", "bb", "bc", 3, pad=1),
        helper.make_node("Relu", ["bc"], ["br"], name="br"),
        helper.make_node("Concat", ["a", "br"], ["cat"], name="cat", axis=1),
        ints("five_d", [1, 2, 2, 5, 5]),
        helper.make_node("Reshape", ["cat", "five_d"], ["v"], name="view"),
        helper.make_node("Transpose", ["v"], ["vt"], name="transpose", perm=[0, 2, 1, 3, 4]),
        ints("back", [1, -1, 5, 5]),
        helper.make_node("Reshape", ["vt", "back"], ["shuffled"], name="unview"),
        ints("sizes", [1, 3]),
        helper.make_node("Split", ["shuffled", "sizes"], ["p1", "p2"], name="split", axis=1),
        conv_node("shuffled", "wc", "bc_", "cc", 1),
        helper.make_node("Relu", ["cc"], ["cr"], name="cr"),
        helper.make_node("Mul", ["p2", "three"], ["p2x3"], name="times_three"),
        helper.make_node("Concat", ["cr", "p2x3", "p1"], ["y"], name="fire_concat", axis=-3),
    ]
    inits = [init("wb", wb), init("bb", bb), init("wc", wc), init("bc_", bc), init("three", np.float32(3.0))]
    save_case("concat_split_shuffle",
              model(nodes, [value("x", [1, 4, 5, 5])], [value("y", [1, 7, 5, 5])], inits), x, y)


def pads_affines_and_means():
    """Pad + AveragePool (torch's count_include_pad=True export), AveragePool with count_include_pad=1, pads
    and ceil_mode, a Pad of a non-zero constant before MaxPool, a BatchNorm after a ReLU (an affine layer with
    its own ReLU fused, as DenseNet's norm-relu-conv), Add/Sub/Div of constants, and ReduceMean over H and W
    (keepdims 0) feeding a Gemm."""
    x = rng.normal(size=(1, 3, 7, 7)).astype(np.float32)
    w, b = weights(3, 3, 3, 3), weights(3)
    s, o, m, v = weights(3) + 1.0, weights(3), weights(3), np.abs(weights(3)) + 0.5
    k = weights(3).reshape(1, 3, 1, 1)
    wf, bf = weights(4, 3), weights(4)
    x64 = x.astype(np.float64)
    t = relu(conv(x64, w, b, pad=1))
    t = relu(bn(t, s, o, m, v))
    t = pool_include_pad(t, 3, 1, 1, False)                      # Pad + AveragePool
    t = pool_include_pad(t, 3, 2, 1, True)                       # 7 -> 4, count_include_pad=1, ceil
    t = np.pad(t, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-0.25)
    t = pool(t, 2, 2, 0, False, "max")                           # 6 -> 3
    t = ((t + k) - 0.5) / 4.0
    y = gemm(t.mean(axis=(2, 3)), wf, bf)
    nodes = [
        conv_node("x", "w", "b", "c", 3, pad=1),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("BatchNormalization", ["r", "s", "o", "m", "v"], ["n"], name="bn"),
        helper.make_node("Relu", ["n"], ["nr"], name="bn_relu"),
        ints("pads", [0, 0, 1, 1, 0, 0, 1, 1]),
        helper.make_node("Pad", ["nr", "pads"], ["padded"], name="pad", mode="constant"),
        helper.make_node("AveragePool", ["padded"], ["a1"], name="avg_torch", kernel_shape=[3, 3]),
        helper.make_node("AveragePool", ["a1"], ["a2"], name="avg_include_pad", kernel_shape=[3, 3],
                         strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1),
        helper.make_node("Pad", ["a2", "pads", "minus_quarter"], ["p2"], name="pad_value", mode="constant"),
        helper.make_node("MaxPool", ["p2"], ["mp"], name="maxpool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Add", ["mp", "k"], ["plus_k"], name="add_k"),
        helper.make_node("Sub", ["plus_k", "half"], ["minus_half"], name="sub_half"),
        helper.make_node("Div", ["minus_half", "four"], ["quarter"], name="div_four"),
        helper.make_node("ReduceMean", ["quarter"], ["mean"], name="mean", axes=[2, 3], keepdims=0),
        helper.make_node("Gemm", ["mean", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    inits = [init(n_, a_) for n_, a_ in (("w", w), ("b", b), ("s", s), ("o", o), ("m", m), ("v", v), ("k", k),
                                         ("wf", wf), ("bf", bf))]
    inits += [init("minus_quarter", np.float32(-0.25)), init("half", np.float32(0.5)), init("four", np.float32(4.0))]
    save_case("pads_affines_and_means",
              model(nodes, [value("x", [1, 3, 7, 7])], [value("y", [1, 4])], inits), x, y)
