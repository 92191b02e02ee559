// Weight-stationary processing element.
// Each cycle: the activation and the switch bit move one PE to the right, the partial sum one PE down.
// The PE multiplies with its active weight; in the cycle its switch bit arrives it uses the shadow weight
// and makes it active (the first vector of a new fold carries the switch). The shadow register is written
// through w_we while the previous fold still computes (double-buffered weights).
// Zero gating: when an operand is zero the partial sum passes unchanged (no multiply-accumulate).
// Accumulation wraps around in ACC_BITS two's complement, as the SystemC models and the golden executor do.
module ws_pe #(
    parameter int A_BITS   = 17,  // activation, signed (an unsigned 16-bit activation fits in 17 bits)
    parameter int W_BITS   = 16,  // weight, signed
    parameter int ACC_BITS = 32
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic signed [  A_BITS-1:0] a_in,
    input  logic                       sw_in,
    input  logic signed [ACC_BITS-1:0] p_in,
    input  logic                       w_we,
    input  logic signed [  W_BITS-1:0] w_in,
    output logic signed [  A_BITS-1:0] a_out,
    output logic                       sw_out,
    output logic signed [ACC_BITS-1:0] p_out
);
  logic signed [W_BITS-1:0] w_active, w_shadow, w_eff;
  // The full A_BITS x W_BITS product, then sign-extended (or wrapped) to the accumulator width.
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [A_BITS+W_BITS-1:0] product;
  /* verilator lint_on UNUSEDSIGNAL */
  logic signed [ACC_BITS-1:0] product_acc;

  assign w_eff = sw_in ? w_shadow : w_active;
  assign product = a_in * w_eff;
  generate
    if (A_BITS + W_BITS >= ACC_BITS) begin : g_wrap
      assign product_acc = product[ACC_BITS-1:0];
    end else begin : g_extend
      assign product_acc = {{(ACC_BITS - A_BITS - W_BITS) {product[A_BITS+W_BITS-1]}}, product};
    end
  endgenerate

  always_ff @(posedge clk) begin
    if (rst) begin
      a_out    <= '0;
      sw_out   <= 1'b0;
      p_out    <= '0;
      w_active <= '0;
      w_shadow <= '0;
    end else begin
      a_out  <= a_in;
      sw_out <= sw_in;
      p_out  <= (a_in == '0 || w_eff == '0) ? p_in : p_in + product_acc;
      if (sw_in) w_active <= w_shadow;
      if (w_we) w_shadow <= w_in;
    end
  end
endmodule
