// The datapath with its tile controller: buffers stream weight rows and input vectors (valid/ready) into
// ws_tile_ctrl, which drives ws_array. Data passes straight through; the controller decides the timing.
module ws_top #(
    parameter int ROWS     = 8,
    parameter int COLS     = 8,
    parameter int A_BITS   = 17,
    parameter int W_BITS   = 16,
    parameter int ACC_BITS = 32,
    localparam int ROW_BITS = ROWS > 1 ? $clog2(ROWS) : 1
) (
    input  logic                     clk,
    input  logic                     rst,
    input  logic                     double_buffered,
    input  logic                     wb_valid,
    input  logic                     wb_first,
    input  logic [  COLS*W_BITS-1:0] wb_data,
    output logic                     wb_ready,
    input  logic                     ib_valid,
    input  logic                     ib_first,
    input  logic                     ib_last,
    input  logic [  ROWS*A_BITS-1:0] ib_data,
    output logic                     ib_ready,
    output logic                     load_row_valid,  // observation: a weight row moves this cycle
    output logic [     ROW_BITS-1:0] load_row,
    output logic                     out_valid,
    output logic [COLS*ACC_BITS-1:0] out_data
);
  logic in_valid, in_switch;
  ws_tile_ctrl #(
      .ROWS(ROWS),
      .COLS(COLS)
  ) ctrl (
      .clk(clk),
      .rst(rst),
      .double_buffered(double_buffered),
      .wb_valid(wb_valid),
      .wb_first(wb_first),
      .wb_ready(wb_ready),
      .ib_valid(ib_valid),
      .ib_first(ib_first),
      .ib_last(ib_last),
      .ib_ready(ib_ready),
      .arr_in_valid(in_valid),
      .arr_in_switch(in_switch),
      .arr_w_valid(load_row_valid),
      .arr_w_row(load_row)
  );
  ws_array #(
      .ROWS(ROWS),
      .COLS(COLS),
      .A_BITS(A_BITS),
      .W_BITS(W_BITS),
      .ACC_BITS(ACC_BITS)
  ) array (
      .clk(clk),
      .rst(rst),
      .in_valid(in_valid),
      .in_switch(in_switch),
      .in_data(in_valid ? ib_data : '0),
      .w_valid(load_row_valid),
      .w_row(load_row),
      .w_data(wb_data),
      .pos_scale(16'sd0),
      .neg_scale(16'sd0),
      .out_valid(out_valid),
      .out_data(out_data)
  );
endmodule
