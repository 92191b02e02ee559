"""The hand-made graphs of tensors of tokens (transformers), written by make_models.py after its other cases:
an encoder block as torch 1.13 exports nn.TransformerEncoderLayer with GELU (LayerNorm and GELU decomposed,
nn.MultiheadAttention's projections, slices, reshapes and transposes, 1 / sqrt(d) before Q.K^T), a ViT stem
(patch conv, reshape and transpose to tokens, class token concatenated, positional embedding, x[:, 0] to a
Linear), and strided views of a map (a channel slice of step 2, a transpose of H and W)."""
import math

import numpy as np
from onnx import helper, numpy_helper
from onnx_reference import conv, init, model, rng, save_case, value, weights  # noqa: F401


erf = np.vectorize(math.erf)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def scalar(name, v):
    return numpy_helper.from_array(np.array(v, np.float32), name)


def layer_norm_nodes(x, out, prefix, gamma, beta):
    p = prefix
    return [
        helper.make_node("ReduceMean", [x], [p + "m"], name=p + "mean", axes=[-1]),
        helper.make_node("Sub", [x, p + "m"], [p + "d"], name=p + "sub"),
        helper.make_node("Pow", [p + "d", "two"], [p + "p"], name=p + "pow"),
        helper.make_node("ReduceMean", [p + "p"], [p + "v"], name=p + "var", axes=[-1]),
        helper.make_node("Add", [p + "v", "eps"], [p + "e"], name=p + "eps"),
        helper.make_node("Sqrt", [p + "e"], [p + "s"], name=p + "sqrt"),
        helper.make_node("Div", [p + "d", p + "s"], [p + "n"], name=p + "div"),
        helper.make_node("Mul", [p + "n", gamma], [p + "g"], name=p + "gamma"),
        helper.make_node("Add", [p + "g", beta], [out], name=p + "beta"),
    ]


def layer_norm(x, gamma, beta, eps=1e-5):
    m = x.mean(axis=-1, keepdims=True)
    v = ((x - m) ** 2).mean(axis=-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * gamma + beta


def gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def encoder_block():
    """LayerNorm first (norm_first), two heads of 4 over 6 tokens of 8 features, GELU MLP of 16."""
    t, d, h = 6, 8, 2
    x = rng.normal(size=(1, t, d)).astype(np.float32)
    g1, b1 = weights(d) + 1.0, weights(d)
    w_in, b_in, w_out, b_out = weights(d, 3 * d), weights(3 * d), weights(d, d), weights(d)
    g2, b2 = weights(d) + 1.0, weights(d)
    w1, c1, w2, c2 = weights(d, 16), weights(16), weights(16, d), weights(d)
    x64 = x.astype(np.float64)
    n1 = layer_norm(x64[0], g1, b1)
    qkv = n1 @ w_in + b_in
    q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(t, h, d // h).transpose(1, 0, 2) for i in range(3))
    attention = softmax((q / math.sqrt(d // h)) @ k.transpose(0, 2, 1)) @ v
    y1 = x64[0] + attention.transpose(1, 0, 2).reshape(t, d) @ w_out.T + b_out
    y = y1 + gelu(layer_norm(y1, g2, b2) @ w1 + c1) @ w2 + c2
    nodes = layer_norm_nodes("x", "n1", "ln1_", "g1", "b1") + [
        helper.make_node("Transpose", ["n1"], ["tn"], name="to_tbd", perm=[1, 0, 2]),
        helper.make_node("MatMul", ["tn", "w_in"], ["proj"], name="in_proj"),
        helper.make_node("Add", ["b_in", "proj"], ["qkv"], name="in_bias"),
    ]
    for i, part in enumerate("qkv"):
        nodes += [helper.make_node("Slice", ["qkv", f"s{i}", f"e{i}", "last"], [part + "_sl"], name=part + "_slice"),
                  helper.make_node("Reshape", [part + "_sl", "heads"], [part + "r"], name=part + "_heads")]
    nodes += [
        helper.make_node("Transpose", ["qr"], ["qt"], name="q_t", perm=[1, 0, 2]),
        helper.make_node("Transpose", ["kr"], ["kt"], name="k_t", perm=[1, 2, 0]),
        helper.make_node("Transpose", ["vr"], ["vt"], name="v_t", perm=[1, 0, 2]),
        helper.make_node("Div", ["qt", "sqrt_d"], ["qs"], name="scale"),
        helper.make_node("MatMul", ["qs", "kt"], ["scores"], name="qk"),
        helper.make_node("Softmax", ["scores"], ["probs"], name="softmax", axis=-1),
        helper.make_node("MatMul", ["probs", "vt"], ["ctx"], name="pv"),
        helper.make_node("Transpose", ["ctx"], ["ct"], name="ctx_t", perm=[1, 0, 2]),
        helper.make_node("Reshape", ["ct", "rows"], ["cr"], name="ctx_rows"),
        helper.make_node("Gemm", ["cr", "w_out", "b_out"], ["o"], name="out_proj", transB=1),
        helper.make_node("Reshape", ["o", "tbd"], ["o3"], name="o_tbd"),
        helper.make_node("Transpose", ["o3"], ["ob"], name="o_btd", perm=[1, 0, 2]),
        helper.make_node("Add", ["x", "ob"], ["y1"], name="residual1"),
    ] + layer_norm_nodes("y1", "n2", "ln2_", "g2", "b2") + [
        helper.make_node("MatMul", ["n2", "w1"], ["f1"], name="fc1"),
        helper.make_node("Add", ["c1", "f1"], ["f1b"], name="fc1_bias"),
        helper.make_node("Div", ["f1b", "sqrt2"], ["gd"], name="gelu_div"),
        helper.make_node("Erf", ["gd"], ["ge"], name="gelu_erf"),
        helper.make_node("Add", ["ge", "one"], ["ga"], name="gelu_add"),
        helper.make_node("Mul", ["f1b", "ga"], ["gm"], name="gelu_mul"),
        helper.make_node("Mul", ["gm", "half"], ["gelu"], name="gelu_half"),
        helper.make_node("MatMul", ["gelu", "w2"], ["f2"], name="fc2"),
        helper.make_node("Add", ["c2", "f2"], ["f2b"], name="fc2_bias"),
        helper.make_node("Add", ["y1", "f2b"], ["y"], name="residual2"),
    ]
    inits = [init(n, a) for n, a in (("g1", g1), ("b1", b1), ("w_in", w_in), ("b_in", b_in), ("w_out", w_out),
                                       ("b_out", b_out), ("g2", g2), ("b2", b2), ("w1", w1), ("c1", c1),
                                       ("w2", w2), ("c2", c2))]
    inits += [scalar("two", 2.0), scalar("eps", 1e-5), scalar("sqrt_d", math.sqrt(d // h)),
              scalar("sqrt2", math.sqrt(2.0)), scalar("one", 1.0), scalar("half", 0.5), ints("last", [-1]),
              ints("heads", [t, h, d // h]), ints("rows", [t, d]), ints("tbd", [t, 1, d])]
    inits += [ints(f"s{i}", [i * d]) for i in range(3)] + [ints(f"e{i}", [(i + 1) * d]) for i in range(3)]
    save_case("encoder_block", model(nodes, [value("x", [1, t, d])], [value("y", [1, t, d])], inits), x,
              y.reshape(1, t, d))


def vit_stem():
    """Patch conv 2x2 stride 2 of a 2 x 4 x 4 image to 8 channels, tokens, class token, positions, x[:, 0]."""
    x = rng.normal(size=(1, 2, 4, 4)).astype(np.float32)
    w, b = weights(8, 2, 2, 2), weights(8)
    cls, pos, wf, bf = weights(1, 1, 8), weights(1, 5, 8), weights(3, 8), weights(3)
    tokens = conv(x.astype(np.float64), w, b, stride=2).reshape(1, 8, 4).transpose(0, 2, 1)
    seq = np.concatenate([cls.astype(np.float64), tokens], axis=1) + pos
    y = seq[:, 0] @ wf.T + bf
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="patch", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Reshape", ["c", "flat"], ["r"], name="to_rows"),
        helper.make_node("Transpose", ["r"], ["t"], name="to_tokens", perm=[0, 2, 1]),
        helper.make_node("Concat", ["cls", "t"], ["s"], name="class_token", axis=1),
        helper.make_node("Add", ["s", "pos"], ["p"], name="positions"),
        helper.make_node("Gather", ["p", "zero"], ["first"], name="take_class", axis=1),
        helper.make_node("Gemm", ["first", "wf", "bf"], ["y"], name="head", transB=1),
    ]
    inits = [init(n, a) for n, a in (("w", w), ("b", b), ("cls", cls), ("pos", pos), ("wf", wf), ("bf", bf))]
    inits += [ints("flat", [1, 8, 4]), numpy_helper.from_array(np.array(0, np.int64), "zero")]
    save_case("vit_stem", model(nodes, [value("x", [1, 2, 4, 4])], [value("y", [1, 3])], inits), x, y)


def strided_views():
    """A 1x1 conv to 4 channels, every second channel (Slice step 2), H and W swapped, a 1x1 conv."""
    x = rng.normal(size=(1, 2, 3, 5)).astype(np.float32)
    w1, b1, w2, b2 = weights(4, 2, 1, 1), weights(4), weights(3, 2, 1, 1), weights(3)
    c = conv(x.astype(np.float64), w1, b1)[:, ::2].transpose(0, 1, 3, 2)
    y = conv(c, w2, b2)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c"], name="c1", kernel_shape=[1, 1]),
        helper.make_node("Slice", ["c", "s", "e", "a", "st"], ["even"], name="every_second"),
        helper.make_node("Transpose", ["even"], ["swapped"], name="hw_swap", perm=[0, 1, 3, 2]),
        helper.make_node("Conv", ["swapped", "w2", "b2"], ["y"], name="c2", kernel_shape=[1, 1]),
    ]
    inits = [init(n, a) for n, a in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2))]
    inits += [ints("s", [0]), ints("e", [4]), ints("a", [1]), ints("st", [2])]
    save_case("strided_views", model(nodes, [value("x", [1, 2, 3, 5])], [value("y", [1, 3, 5, 3])], inits), x, y)


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def gelu_tanh_nodes(x, out, p):
    """torch 1.13's export of gelu(approximate='tanh'): nine nodes."""
    return [
        helper.make_node("Mul", [x, x], [p + "sq"], name=p + "sq"),
        helper.make_node("Mul", [x, p + "sq"], [p + "cube"], name=p + "cube"),
        helper.make_node("Mul", ["k_cube", p + "cube"], [p + "kc"], name=p + "kc"),
        helper.make_node("Add", [x, p + "kc"], [p + "inner"], name=p + "inner"),
        helper.make_node("Mul", ["k_sqrt", p + "inner"], [p + "arg"], name=p + "arg"),
        helper.make_node("Tanh", [p + "arg"], [p + "t"], name=p + "tanh"),
        helper.make_node("Add", ["one", p + "t"], [p + "one"], name=p + "plus_one"),
        helper.make_node("Mul", [x, p + "one"], [p + "gate"], name=p + "gate"),
        helper.make_node("Mul", ["half", p + "gate"], [out], name=p + "half"),
    ]


def causal_nodes_and_inits(mask, t):
    nodes = [helper.make_node("Where", ["mask", "neg_inf", "x"], ["masked"], name="causal_mask")]
    inits = [numpy_helper.from_array(mask, "mask"), scalar("neg_inf", -np.inf)]
    return nodes, inits


def causal_softmax_gelu_tanh():
    """A decoder's masked attention probabilities as torch exports masked_fill(tril == 0, -inf) and softmax
    (2 heads of 5 queries over 5 keys), then the tanh GELU: the causal flag and the GELU lookup fusions."""
    h, t = 2, 5
    x = rng.normal(size=(1, h, t, t)).astype(np.float32)
    hidden = np.triu(np.ones((t, t), bool), k=1)  # key j > query i
    p = np.where(hidden, 0.0, softmax(np.where(hidden, -np.inf, x.astype(np.float64))))
    y = gelu_tanh(p)
    nodes, inits = causal_nodes_and_inits(hidden.reshape(1, 1, t, t), t)
    nodes += [helper.make_node("Softmax", ["masked"], ["p"], name="probs", axis=-1)]
    nodes += gelu_tanh_nodes("p", "y", "g_")
    inits += [scalar("k_cube", 0.044715), scalar("k_sqrt", math.sqrt(2 / math.pi)), scalar("one", 1.0),
              scalar("half", 0.5)]
    save_case("causal_softmax_gelu_tanh",
              model(nodes, [value("x", [1, h, t, t])], [value("y", [1, h, t, t])], inits), x, y)


def invalid_causal_masks():
    """A mask that hides the earlier keys (not causal), and a Where that no Softmax reads."""
    from onnx_reference import save_invalid
    t = 4
    earlier = np.tril(np.ones((t, t), bool), k=-1).reshape(1, 1, t, t)
    nodes, inits = causal_nodes_and_inits(earlier, t)
    nodes += [helper.make_node("Softmax", ["masked"], ["y"], name="probs", axis=-1)]
    save_invalid("where_not_causal", model(nodes, [value("x", [1, 1, t, t])], [value("y", [1, 1, t, t])], inits))
    causal = np.triu(np.ones((t, t), bool), k=1).reshape(1, 1, t, t)
    nodes, inits = causal_nodes_and_inits(causal, t)
    nodes += [helper.make_node("Relu", ["masked"], ["y"], name="relu")]
    save_invalid("where_without_softmax",
                 model(nodes, [value("x", [1, 1, t, t])], [value("y", [1, 1, t, t])], inits))
