// ROWS x COLS weight-stationary systolic array with input skew, skewed weight loading and output de-skew.
//
// Timing (cycle t = the cycle whose inputs are presented before rising edge t):
// - a vector presented at cycle tau (in_valid) reaches row r at tau + r (input skew) and PE(r, c) at
//   tau + r + c; its column sums are all on out_data after edge tau + ROWS + COLS - 2, with out_valid;
// - in_switch marks the first vector of a fold: PE(r, c) switches to its shadow weight at tau + r + c;
// - weight row j presented at cycle L + j (w_valid, w_row = j) is written into the shadow register of
//   PE(j, c) at edge L + j + c (each column's weight bus is delayed by c), so a fold's weights can load
//   while the previous fold streams: the write of PE(r, c) follows its switch to the previous fold.
// This is the timing of models/array_sequencer.hpp (models/README.md "Timing model"), to the cycle.
module ws_array #(
    parameter int ROWS     = 8,
    parameter int COLS     = 8,
    parameter int A_BITS   = 17,
    parameter int W_BITS   = 16,
    parameter int ACC_BITS = 32,
    // Test hook for the co-simulation checker's own test: 1 delays the last row's input one cycle too long.
    parameter int SKEW_BUG = 0,
    // 1: multiplier-free ternary PEs (ws_pe_ternary): w_data carries 2-bit codes (01 = +1, 11 = -1) in the
    // low bits of each W_BITS field; the output stage forms pos_scale * sum(+) - neg_scale * sum(-).
    parameter int TERNARY = 0,
    localparam int ROW_BITS = ROWS > 1 ? $clog2(ROWS) : 1
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic                     in_valid,
    input  logic                     in_switch,
    input  logic [  ROWS*A_BITS-1:0] in_data,
    input  logic                     w_valid,
    input  logic [     ROW_BITS-1:0] w_row,
    input  logic [  COLS*W_BITS-1:0] w_data,
    input  logic signed [      15:0] pos_scale,  // ternary only
    input  logic signed [      15:0] neg_scale,  // ternary only
    output logic                     out_valid,
    output logic [COLS*ACC_BITS-1:0] out_data
);
  // Input skew: row r's element and switch bit delayed by r cycles.
  logic [A_BITS-1:0] row_a[ROWS];
  logic row_sw[ROWS];
  genvar r, c;
  generate
    for (r = 0; r < ROWS; r++) begin : g_in_skew
      if (r == 0) begin : g_direct
        assign row_a[0]  = in_data[A_BITS-1:0];
        assign row_sw[0] = in_switch;
      end else begin : g_delay
        logic [A_BITS-1:0] a_q[r];
        logic sw_q[r];
        always_ff @(posedge clk) begin
          if (rst) begin
            for (int i = 0; i < r; i++) begin
              a_q[i]  <= '0;
              sw_q[i] <= 1'b0;
            end
          end else begin
            a_q[0]  <= in_data[r*A_BITS+:A_BITS];
            sw_q[0] <= in_switch;
            for (int i = 1; i < r; i++) begin
              a_q[i]  <= a_q[i-1];
              sw_q[i] <= sw_q[i-1];
            end
          end
        end
        if (SKEW_BUG != 0 && r == ROWS - 1) begin : g_bug
          logic [A_BITS-1:0] a_late;
          logic sw_late;
          always_ff @(posedge clk) begin
            a_late  <= a_q[r-1];
            sw_late <= sw_q[r-1];
          end
          assign row_a[r]  = a_late;
          assign row_sw[r] = sw_late;
        end else begin : g_ok
          assign row_a[r]  = a_q[r-1];
          assign row_sw[r] = sw_q[r-1];
        end
      end
    end
  endgenerate

  // Weight column skew: column c's (valid, row, weight) delayed by c cycles.
  logic col_wv[COLS];
  logic [ROW_BITS-1:0] col_wrow[COLS];
  logic [W_BITS-1:0] col_w[COLS];
  generate
    for (c = 0; c < COLS; c++) begin : g_w_skew
      if (c == 0) begin : g_direct
        assign col_wv[0]   = w_valid;
        assign col_wrow[0] = w_row;
        assign col_w[0]    = w_data[W_BITS-1:0];
      end else begin : g_delay
        logic wv_q[c];
        logic [ROW_BITS-1:0] wrow_q[c];
        logic [W_BITS-1:0] w_q[c];
        always_ff @(posedge clk) begin
          if (rst) begin
            for (int i = 0; i < c; i++) begin
              wv_q[i]   <= 1'b0;
              wrow_q[i] <= '0;
              w_q[i]    <= '0;
            end
          end else begin
            wv_q[0]   <= w_valid;
            wrow_q[0] <= w_row;
            w_q[0]    <= w_data[c*W_BITS+:W_BITS];
            for (int i = 1; i < c; i++) begin
              wv_q[i]   <= wv_q[i-1];
              wrow_q[i] <= wrow_q[i-1];
              w_q[i]    <= w_q[i-1];
            end
          end
        end
        assign col_wv[c]   = wv_q[c-1];
        assign col_wrow[c] = wrow_q[c-1];
        assign col_w[c]    = w_q[c-1];
      end
    end
  endgenerate

  // The PE grid; p_down is the partial sum (ternary: the output stage's combination) leaving each column.
  logic [A_BITS-1:0] a_right[ROWS][COLS];
  logic sw_right[ROWS][COLS];
  logic [ACC_BITS-1:0] p_down[ROWS][COLS];
  logic [ACC_BITS-1:0] column_sum[COLS];
  generate
    if (TERNARY == 0) begin : g_mul
      for (r = 0; r < ROWS; r++) begin : g_row
        for (c = 0; c < COLS; c++) begin : g_col
          ws_pe #(
              .A_BITS  (A_BITS),
              .W_BITS  (W_BITS),
              .ACC_BITS(ACC_BITS)
          ) pe (
              .clk  (clk),
              .rst  (rst),
              .a_in (c == 0 ? row_a[r] : a_right[r][c-1]),
              .sw_in(c == 0 ? row_sw[r] : sw_right[r][c-1]),
              .p_in (r == 0 ? '0 : p_down[r-1][c]),
              .w_we (col_wv[c] && col_wrow[c] == ROW_BITS'(r)),
              .w_in (col_w[c]),
              .a_out(a_right[r][c]),
              .sw_out(sw_right[r][c]),
              .p_out(p_down[r][c])
          );
        end
      end
      for (c = 0; c < COLS; c++) begin : g_sum
        assign column_sum[c] = p_down[ROWS-1][c];
      end
      /* verilator lint_off UNUSEDSIGNAL */
      logic unused_scales;
      assign unused_scales = ^{pos_scale, neg_scale};
      /* verilator lint_on UNUSEDSIGNAL */
    end else begin : g_ternary
      logic [ACC_BITS-1:0] p_neg[ROWS][COLS];
      for (r = 0; r < ROWS; r++) begin : g_row
        for (c = 0; c < COLS; c++) begin : g_col
          ws_pe_ternary #(
              .A_BITS  (A_BITS),
              .ACC_BITS(ACC_BITS)
          ) pe (
              .clk      (clk),
              .rst      (rst),
              .a_in     (c == 0 ? row_a[r] : a_right[r][c-1]),
              .sw_in    (c == 0 ? row_sw[r] : sw_right[r][c-1]),
              .p_pos_in (r == 0 ? '0 : p_down[r-1][c]),
              .p_neg_in (r == 0 ? '0 : p_neg[r-1][c]),
              .w_we     (col_wv[c] && col_wrow[c] == ROW_BITS'(r)),
              .w_in     (col_w[c][1:0]),
              .a_out    (a_right[r][c]),
              .sw_out   (sw_right[r][c]),
              .p_pos_out(p_down[r][c]),
              .p_neg_out(p_neg[r][c])
          );
        end
      end
      // The output stage: the asymmetric scales, once per output, in wrap-around accumulator arithmetic.
      for (c = 0; c < COLS; c++) begin : g_sum
        assign column_sum[c] = ACC_BITS'(pos_scale) * p_down[ROWS-1][c] - ACC_BITS'(neg_scale) * p_neg[ROWS-1][c];
      end
    end
  endgenerate

  // Output de-skew: column c delayed by COLS - 1 - c cycles so that a vector's sums leave together.
  generate
    for (c = 0; c < COLS; c++) begin : g_out
      if (c == COLS - 1) begin : g_direct
        assign out_data[c*ACC_BITS+:ACC_BITS] = column_sum[c];
      end else begin : g_delay
        localparam int D = COLS - 1 - c;
        logic [ACC_BITS-1:0] q[D];
        always_ff @(posedge clk) begin
          if (rst) begin
            for (int i = 0; i < D; i++) q[i] <= '0;
          end else begin
            q[0] <= column_sum[c];
            for (int i = 1; i < D; i++) q[i] <= q[i-1];
          end
        end
        assign out_data[c*ACC_BITS+:ACC_BITS] = q[D-1];
      end
    end
  endgenerate

  // out_valid: in_valid delayed by ROWS + COLS - 1 cycles.
  localparam int V = ROWS + COLS - 1;
  logic valid_q[V];
  always_ff @(posedge clk) begin
    if (rst) begin
      for (int i = 0; i < V; i++) valid_q[i] <= 1'b0;
    end else begin
      valid_q[0] <= in_valid;
      for (int i = 1; i < V; i++) valid_q[i] <= valid_q[i-1];
    end
  end
  assign out_valid = valid_q[V-1];
endmodule
