// dse infer --model M.onnx --input IN.pb --output OUT.pb: the float model (or the integer path) on an ONNX
// TensorProto input.
#include <iostream>

#include "explorer/cli/command.hpp"
#include "sim/io/errors.hpp"
#include "sim/onnx/import.hpp"

namespace deepchip::cli {
namespace {

constexpr const char* kUsage =
    "dse infer --model M.onnx --input IN.pb --output OUT.pb [--quantized [--config POINT.json]]\n"
    "  Runs an ONNX model on an ONNX TensorProto input with the float executor and writes the output\n"
    "  TensorProto; --quantized runs the integer golden path, quantized with POINT.json's quantization keys\n"
    "  and calibrated on this input, output dequantized.\n";

struct InferArgs {
  std::string model, input, output, config;
  bool quantized = false;
};

int run_infer(const InferArgs& a) {
  const sim::OnnxModel model = sim::load_onnx(a.model);
  const sim::OnnxTensor input = sim::load_onnx_tensor(a.input);
  const std::string problem = sim::onnx_input_problem(model, input);
  if (!problem.empty()) throw sim::InputError(a.input + ": " + problem);
  check_output_file("--output", a.output);
  sim::QuantConfig qc;
  if (!a.config.empty()) {
    auto cfg = explorer::load_json_file(a.config);
    cfg["network"] = a.model;
    qc = explorer::parse_point(cfg, a.config).quant;
  }
  sim::OnnxTensor output;
  try {
    output = sim::infer(model, input, a.quantized, qc);
  } catch (const sim::InputError& e) {  // what this input does to the model: name the input
    throw sim::InputError(a.input + ": " + e.what());
  }
  sim::save_onnx_tensor(output, a.output);
  std::cout << "wrote " << a.output << "\n";
  return 0;
}

}  // namespace

Command add_infer(CLI::App& dse) {
  auto a = std::make_shared<InferArgs>();
  CLI::App* app = add_command(dse, "infer");
  add_value(*app, "--model", a->model);
  add_value(*app, "--input", a->input);
  add_value(*app, "--output", a->output);
  add_value(*app, "--config", a->config);
  app->add_flag("--quantized", a->quantized);
  Command c;
  c.app = app;
  c.usage = kUsage;
  c.check = [a](std::vector<std::string>& errors) {
    if (a->model.empty()) errors.push_back("--model: required with `dse infer`");
    if (a->input.empty()) errors.push_back("--input: required with `dse infer`");
    if (a->output.empty()) errors.push_back("--output: required with `dse infer`");
    if (!a->config.empty() && !a->quantized)
      errors.push_back("--config: only with --quantized (its quantization keys)");
  };
  c.run = [a] { return run_infer(*a); };
  return c;
}

}  // namespace deepchip::cli
