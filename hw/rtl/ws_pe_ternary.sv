// Multiplier-free weight-stationary PE for ternary (and binary) weights, the hardware of DeepChip's
// asymmetric ternary layers: the weight is a 2-bit code (+1, 0, -1); the PE adds x into the positive or the
// negative partial-sum chain, or nothing (zero weights and zero activations are gated). The output stage
// (outside the array) forms Wp * sum(+) - Wn * sum(-) once per output. Same dataflow and double-buffered
// weight switch as ws_pe.sv. The SystemC cycle model's multiplier-free path (models/array_cycle.cpp) is this.
module ws_pe_ternary #(
    parameter int A_BITS   = 9,
    parameter int ACC_BITS = 32
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic signed [  A_BITS-1:0] a_in,
    input  logic                       sw_in,
    input  logic signed [ACC_BITS-1:0] p_pos_in,
    input  logic signed [ACC_BITS-1:0] p_neg_in,
    input  logic                       w_we,
    input  logic        [         1:0] w_in,      // 2'b01: +1, 2'b11: -1, otherwise 0
    output logic signed [  A_BITS-1:0] a_out,
    output logic                       sw_out,
    output logic signed [ACC_BITS-1:0] p_pos_out,
    output logic signed [ACC_BITS-1:0] p_neg_out
);
  logic [1:0] w_active, w_shadow, w_eff;
  logic signed [ACC_BITS-1:0] a_acc;

  assign w_eff = sw_in ? w_shadow : w_active;
  assign a_acc = ACC_BITS'(a_in);

  always_ff @(posedge clk) begin
    if (rst) begin
      a_out     <= '0;
      sw_out    <= 1'b0;
      p_pos_out <= '0;
      p_neg_out <= '0;
      w_active  <= '0;
      w_shadow  <= '0;
    end else begin
      a_out     <= a_in;
      sw_out    <= sw_in;
      p_pos_out <= (w_eff == 2'b01 && a_in != '0) ? p_pos_in + a_acc : p_pos_in;
      p_neg_out <= (w_eff == 2'b11 && a_in != '0) ? p_neg_in + a_acc : p_neg_in;
      if (sw_in) w_active <= w_shadow;
      if (w_we) w_shadow <= w_in;
    end
  end
endmodule
