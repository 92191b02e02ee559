#!/usr/bin/env python3
"""Hand-made ONNX graphs for the importer's front end (tests/conformance/onnx_frontend/).

  /usr/bin/python3 tests/conformance/onnx_frontend/make_models.py   (Debian's python3-onnx and numpy)

Writes, for every valid case, CASE/model.onnx with CASE/test_data_set_0/{input_0,output_0}.pb (the layout of
ONNX's own test data; the output computed here with numpy in float64, then rounded to float32), and for every
invalid case invalid/CASE.onnx (the bad-input catalog names them). The graphs are what torch 1.13 emits at
opset 13 for the same modules where that matters (Identity over de-duplicated initializers, the Shape/Gather/
Unsqueeze/Concat/Reshape of `x.view(x.size(0), -1)`) and the traps of the old importer (a BatchNorm after a
ReLU, a fused op on a tensor that is also the graph output). The files are committed; rerun this script only
to change them.
"""
import os
import sys

import numpy as np
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_reference import (bn, conv, gemm, init, model, pool, relu, rng, save_case, save_invalid,  # noqa: E402,F401
                            value, weights)
from operator_models import concat_split_shuffle, pads_affines_and_means, squeeze_excite_gates  # noqa: E402
from sequence_models import (causal_softmax_gelu_tanh, encoder_block, invalid_causal_masks, strided_views,  # noqa: E402
                             vit_stem)


def residual_add():
    """c3(relu(c1(x) + c2(x))) -> global average pool -> flatten -> linear: an Add of two activations."""
    x = rng.normal(size=(1, 3, 8, 8)).astype(np.float32)
    w1, b1, w2, b2 = weights(4, 3, 3, 3), weights(4), weights(4, 3, 1, 1), weights(4)
    w3, b3, wf, bf = weights(4, 4, 3, 3), weights(4), weights(5, 4), weights(5)
    x64 = x.astype(np.float64)
    t = relu(conv(x64, w1, b1, pad=1) + conv(x64, w2, b2))
    t = conv(t, w3, b3, pad=1).mean(axis=(2, 3))
    y = gemm(t, wf, bf)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="c1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["x", "w2", "b2"], ["c2"], name="c2", kernel_shape=[1, 1]),
        helper.make_node("Add", ["c1", "c2"], ["sum"], name="add"),
        helper.make_node("Relu", ["sum"], ["r"], name="relu"),
        helper.make_node("Conv", ["r", "w3", "b3"], ["c3"], name="c3", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["c3"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    inits = [init(n, a) for n, a in
             (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2), ("w3", w3), ("b3", b3), ("wf", wf), ("bf", bf))]
    save_case("residual_add", model(nodes, [value("x", [1, 3, 8, 8])], [value("y", [1, 5])], inits), x, y)


def conv_bn_chain(name, between_relu):
    """conv -> [relu ->] batch norm -> flatten -> linear. Across a ReLU the BatchNorm must not be folded."""
    x = rng.normal(size=(1, 2, 5, 5)).astype(np.float32)
    w, b = weights(3, 2, 3, 3), weights(3)
    scale, bias = weights(3) + 1.0, weights(3)
    mean, var = weights(3), np.abs(weights(3)) + 0.5
    wf, bf = weights(4, 3 * 5 * 5), weights(4)
    t = conv(x.astype(np.float64), w, b, pad=1)
    if between_relu:
        t = relu(t)
    t = bn(t, scale, bias, mean, var)
    y = gemm(t.reshape(1, -1), wf, bf)
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    bn_in = "c"
    if between_relu:
        nodes.append(helper.make_node("Relu", ["c"], ["r"], name="relu"))
        bn_in = "r"
    nodes += [
        helper.make_node("BatchNormalization", [bn_in, "scale", "bias", "mean", "var"], ["n"], name="bn"),
        helper.make_node("Flatten", ["n"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    inits = [init(k, v) for k, v in (("w", w), ("b", b), ("scale", scale), ("bias", bias), ("mean", mean),
                                     ("var", var), ("wf", wf), ("bf", bf))]
    save_case(name, model(nodes, [value("x", [1, 2, 5, 5])], [value("y", [1, 4])], inits), x, y)


def output_also_read_by(name, op):
    """The graph output is a conv's output that an unused Relu or BatchNormalization also reads: nothing may be
    fused into that conv."""
    x = rng.normal(size=(1, 2, 4, 4)).astype(np.float32)
    w, b = weights(3, 2, 3, 3), weights(3) - 2.0  # mostly negative outputs: a fused ReLU would show
    y = conv(x.astype(np.float64), w, b, pad=1)
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    inits = [init("w", w), init("b", b)]
    if op == "Relu":
        nodes.append(helper.make_node("Relu", ["y"], ["unused"], name="relu"))
    else:
        nodes.append(helper.make_node("BatchNormalization", ["y", "s", "o", "m", "v"], ["unused"], name="bn"))
        inits += [init("s", weights(3) + 3.0), init("o", weights(3)), init("m", weights(3)),
                  init("v", np.abs(weights(3)) + 0.5)]
    save_case(name, model(nodes, [value("x", [1, 2, 4, 4])], [value("y", [1, 3, 4, 4])], inits), x, y)


def identity_over_initializers():
    """torch 1.13 de-duplicates identical initializers and puts an Identity over the shared one."""
    x = rng.normal(size=(1, 2, 6, 6)).astype(np.float32)
    w, b = weights(2, 2, 3, 3), weights(2)
    x64 = x.astype(np.float64)
    t = relu(conv(x64, w, b, pad=1))
    y = conv(t, w, b, pad=1) + x64  # the second conv reads the same weights through Identity; a residual Add
    nodes = [
        helper.make_node("Identity", ["w"], ["w_copy"], name="w_alias"),
        helper.make_node("Identity", ["b"], ["b_copy"], name="b_alias"),
        helper.make_node("Conv", ["x", "w", "b"], ["c1"], name="c1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r"], name="relu"),
        helper.make_node("Conv", ["r", "w_copy", "b_copy"], ["c2"], name="c2", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "x"], ["y"], name="add"),
    ]
    save_case("identity_over_initializers",
              model(nodes, [value("x", [1, 2, 6, 6])], [value("y", [1, 2, 6, 6])], [init("w", w), init("b", b)]),
              x, y)


def view_shape_subgraph():
    """`x.view(x.size(0), -1)` as torch exports it: Shape, Gather, Unsqueeze, Concat with a Constant, Reshape."""
    x = rng.normal(size=(1, 2, 4, 4)).astype(np.float32)
    w, b, wf, bf = weights(3, 2, 3, 3), weights(3), weights(6, 3 * 2 * 2), weights(6)
    t = relu(conv(x.astype(np.float64), w, b, stride=2, pad=1))
    y = gemm(t.reshape(1, -1), wf, bf)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Shape", ["r"], ["shape"], name="shape"),
        helper.make_node("Constant", [], ["zero"], name="zero", value=numpy_helper.from_array(np.array(0, np.int64))),
        helper.make_node("Gather", ["shape", "zero"], ["n"], name="gather", axis=0),
        helper.make_node("Constant", [], ["axes"], name="axes", value=numpy_helper.from_array(np.array([0], np.int64))),
        helper.make_node("Unsqueeze", ["n", "axes"], ["n1"], name="unsqueeze"),
        helper.make_node("Constant", [], ["minus_one"], name="minus_one",
                         value=numpy_helper.from_array(np.array([-1], np.int64))),
        helper.make_node("Concat", ["n1", "minus_one"], ["target"], name="concat", axis=0),
        helper.make_node("Reshape", ["r", "target"], ["flat"], name="view"),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    save_case("view_shape_subgraph",
              model(nodes, [value("x", [1, 2, 4, 4])], [value("y", [1, 6])],
                    [init("w", w), init("b", b), init("wf", wf), init("bf", bf)]), x, y)


def linear_batchnorm1d():
    """Linear -> BatchNorm1d -> ReLU -> Linear: the BatchNorm folds into the Gemm before it."""
    x = rng.normal(size=(1, 6)).astype(np.float32)
    w1, b1, w2, b2 = weights(5, 6), weights(5), weights(3, 5), weights(3)
    s, o, m, v = weights(5) + 1.0, weights(5), weights(5), np.abs(weights(5)) + 0.5
    t = relu(bn(gemm(x.astype(np.float64), w1, b1), s, o, m, v))
    y = gemm(t, w2, b2)
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="fc1", transB=1),
        helper.make_node("BatchNormalization", ["h", "s", "o", "m", "v"], ["n"], name="bn"),
        helper.make_node("Relu", ["n"], ["r"], name="relu"),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["y"], name="fc2", transB=1),
    ]
    inits = [init(k, a) for k, a in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2), ("s", s), ("o", o),
                                     ("m", m), ("v", v))]
    save_case("linear_batchnorm1d", model(nodes, [value("x", [1, 6])], [value("y", [1, 3])], inits), x, y)


def relu6_fused_and_standalone():
    """Clip(0, 6) as torch exports ReLU6 (min and max as constant inputs): fused into the conv before it, and
    on a tensor with a second use (a relu layer of its own that clamps at round(6 / scale))."""
    x = rng.normal(size=(1, 2, 5, 5)).astype(np.float32)
    w1, b1 = weights(3, 2, 3, 3) * 6, weights(3) * 4  # outputs well beyond 6 on both sides
    w2, b2 = weights(3, 3, 1, 1) * 4, weights(3)
    a = np.clip(conv(x.astype(np.float64), w1, b1, pad=1), 0, 6)
    c = conv(a, w2, b2)
    y = c + np.clip(c, 0, 6)
    six = numpy_helper.from_array(np.array(6, np.float32), "six")
    zero = numpy_helper.from_array(np.array(0, np.float32), "zero")
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="c1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["c1", "zero", "six"], ["a"], name="relu6_fused"),
        helper.make_node("Conv", ["a", "w2", "b2"], ["c2"], name="c2", kernel_shape=[1, 1]),
        helper.make_node("Clip", ["c2", "zero", "six"], ["r"], name="relu6_alone"),
        helper.make_node("Add", ["c2", "r"], ["y"], name="add"),
    ]
    inits = [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), six, zero]
    save_case("relu6_fused_and_standalone",
              model(nodes, [value("x", [1, 2, 5, 5])], [value("y", [1, 3, 5, 5])], inits), x, y)


def pools_in_ceil_mode():
    """MaxPool and AveragePool with ceil_mode=1, as torchvision's squeezenet, googlenet and inception export
    them: the extra windows at the bottom and right hold only the input positions they reach."""
    x = rng.normal(size=(1, 2, 8, 8)).astype(np.float32)
    w, b, wf, bf = weights(3, 2, 1, 1), weights(3), weights(4, 3 * 3 * 3), weights(4)
    t = pool(x.astype(np.float64), 3, 2, 0, True, "max")  # 8 -> 4 (floor mode: 3)
    t = conv(t, w, b)
    t = pool(t, 3, 2, 1, True, "avg")  # 4 -> 3 (floor mode: 2)
    y = gemm(t.reshape(1, -1), wf, bf)
    nodes = [
        helper.make_node("MaxPool", ["x"], ["m"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        helper.make_node("Conv", ["m", "w", "b"], ["c"], name="conv", kernel_shape=[1, 1]),
        helper.make_node("AveragePool", ["c"], ["a"], name="avgpool", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=0),
        helper.make_node("Flatten", ["a"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    save_case("pools_in_ceil_mode",
              model(nodes, [value("x", [1, 2, 8, 8])], [value("y", [1, 4])],
                    [init("w", w), init("b", b), init("wf", wf), init("bf", bf)]), x, y)


def tiny_conv_nodes(output="y"):
    return [helper.make_node("Conv", ["x", "w"], [output], name="conv", kernel_shape=[1, 1])]


def invalid_models():
    w = init("w", weights(2, 2, 1, 1))
    xin, yout = [value("x", [1, 2, 4, 4])], [value("y", [1, 2, 4, 4])]
    # Two nodes write one tensor.
    save_invalid("two_producers", model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="a", kernel_shape=[1, 1]),
         helper.make_node("Relu", ["x"], ["y"], name="b")], xin, yout, [w]))
    # A node writes the graph input.
    save_invalid("writes_graph_input", model(
        tiny_conv_nodes() + [helper.make_node("Relu", ["y"], ["x"], name="back")], xin, yout, [w]))
    # A node writes an initializer.
    save_invalid("writes_initializer", model(
        tiny_conv_nodes() + [helper.make_node("Relu", ["y"], ["w"], name="over")], xin, yout, [w]))
    # A Conv of another domain is not ONNX's Conv.
    custom = helper.make_node("Conv", ["x", "w"], ["y"], name="custom", kernel_shape=[1, 1], domain="com.example")
    m = helper.make_graph([custom], "frontend", xin, yout, [w])
    m = helper.make_model(m, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
    m.ir_version = 7
    save_invalid("custom_domain_conv", m)
    # Gemm with transB = 2.
    save_invalid("gemm_transb_2", model(
        [helper.make_node("Gemm", ["x", "wf"], ["y"], name="fc", transB=2)], [value("x", [1, 4])],
        [value("y", [1, 3])], [init("wf", weights(3, 4))]))
    # Reshape to [7, -1] of 2 x 4 x 4 = 32 values (7 does not divide 32).
    save_invalid("reshape_7", model(
        tiny_conv_nodes("c") + [helper.make_node("Reshape", ["c", "shape"], ["y"], name="view")], xin,
        [value("y", [7, -1])], [w, numpy_helper.from_array(np.array([7, -1], np.int64), "shape")]))
    # An opset no ONNX release has.
    save_invalid("opset_99999", model(tiny_conv_nodes(), xin, yout, [w], opset=99999))
    # Operators outside what the importer reads, each refused by name: reflect padding, a Slice of step 0, a
    # Gather of unevenly spaced indices (no strided view), a Concat along the width.
    save_invalid("pad_reflect", model(
        tiny_conv_nodes("c") + [helper.make_node("Pad", ["c", "pads"], ["y"], name="pad", mode="reflect")], xin,
        [value("y", [1, 2, 6, 6])], [w, numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads")]))
    save_invalid("slice_step_0", model(
        tiny_conv_nodes("c") + [helper.make_node("Slice", ["c", "s", "e", "a", "st"], ["y"], name="strided")], xin,
        [value("y", [1, 1, 4, 4])], [w] + [numpy_helper.from_array(np.array([v], np.int64), n) for n, v in
                                          (("s", 0), ("e", 2), ("a", 1), ("st", 0))]))
    save_invalid("gather_uneven", model(
        tiny_conv_nodes("c") + [helper.make_node("Gather", ["c", "idx"], ["y"], name="pick", axis=2)], xin,
        [value("y", [1, 2, 3, 4])], [w, numpy_helper.from_array(np.array([0, 1, 3], np.int64), "idx")]))
    save_invalid("concat_width", model(
        tiny_conv_nodes("c") + [helper.make_node("Concat", ["c", "x"], ["y"], name="wide", axis=3)], xin,
        [value("y", [1, 2, 4, 8])], [w]))
    # An initializer with both raw_data and float_data.
    both = numpy_helper.from_array(weights(2, 2, 1, 1), "w")
    both.float_data.extend([1.0, 2.0, 3.0, 4.0])
    save_invalid("raw_and_float_data", model(tiny_conv_nodes(), xin, yout, [both]))


def main():
    residual_add()
    conv_bn_chain("conv_bn", between_relu=False)
    conv_bn_chain("conv_relu_bn", between_relu=True)
    output_also_read_by("output_and_unused_relu", "Relu")
    output_also_read_by("output_and_unused_batchnorm", "BatchNormalization")
    identity_over_initializers()
    view_shape_subgraph()
    linear_batchnorm1d()
    relu6_fused_and_standalone()
    invalid_models()
    pools_in_ceil_mode()
    squeeze_excite_gates()
    concat_split_shuffle()
    pads_affines_and_means()
    encoder_block()
    vit_stem()
    strided_views()
    causal_softmax_gelu_tanh()
    invalid_causal_masks()


if __name__ == "__main__":
    main()
