// Tile controller: plays folds through ws_array from two valid/ready streams out of the buffers.
// - Weight rows (wb_*): ROWS rows per fold, wb_first on a fold's first row. A fold's load starts when its
//   first row is valid and the array's shadow weights are free: with double buffering once the previous
//   fold has started streaming, with single buffering once the previous fold has drained (its last vector's
//   sums left the array, ROWS + COLS - 1 cycles after it entered). The other rows follow one per cycle.
// - Input vectors (ib_*): ib_first / ib_last mark a fold's first and last vector. A fold's first vector
//   enters only after the fold's ROWS load cycles; then a vector enters whenever one is valid. The buffers
//   make a whole chunk valid at once, which gives the chunk-granular waits of the SystemC sequencer.
// The decisions are those of models/array_sequencer.cpp, cycle for cycle (checked in co-simulation).
module ws_tile_ctrl #(
    parameter int ROWS = 8,
    parameter int COLS = 8,
    localparam int ROW_BITS = ROWS > 1 ? $clog2(ROWS) : 1,
    localparam int DRAIN_BITS = $clog2(ROWS + COLS + 1)
) (
    input  logic                clk,
    input  logic                rst,
    input  logic                double_buffered,
    // weight rows
    input  logic                wb_valid,
    input  logic                wb_first,
    output logic                wb_ready,
    // input vectors
    input  logic                ib_valid,
    input  logic                ib_first,
    input  logic                ib_last,
    output logic                ib_ready,
    // to ws_array
    output logic                arr_in_valid,
    output logic                arr_in_switch,
    output logic                arr_w_valid,
    output logic [ROW_BITS-1:0] arr_w_row
);
  logic ld_busy;                    // rows 1..ROWS-1 of a fold's load are in progress
  logic [ROW_BITS-1:0] ld_row;      // the row loaded this cycle while ld_busy
  logic [1:0] loaded;               // folds loaded but not yet streaming (at most 2)
  logic streaming;                  // a fold has entered its first but not its last vector
  logic [DRAIN_BITS-1:0] drain;     // cycles until the last streamed fold has drained (single buffering)

  logic inject, fold_start, bank_free, load_start;
  assign inject = ib_valid && (!ib_first || loaded != 2'd0);
  assign fold_start = inject && ib_first;
  // The shadow weights may take the next fold's load this cycle.
  assign bank_free = double_buffered ? (!ld_busy && (loaded == 2'd0 || (loaded == 2'd1 && fold_start)))
                                     : (!ld_busy && loaded == 2'd0 && !streaming && drain == '0);
  assign load_start = wb_valid && wb_first && bank_free;

  assign ib_ready = inject;
  assign arr_in_valid = inject;
  assign arr_in_switch = fold_start;
  assign arr_w_valid = load_start || ld_busy;
  assign arr_w_row = load_start ? '0 : ld_row;
  assign wb_ready = arr_w_valid;

  logic load_done;  // the load's last row is this cycle
  assign load_done = (load_start && ROWS == 1) || (ld_busy && ld_row == ROW_BITS'(ROWS - 1));

  always_ff @(posedge clk) begin
    if (rst) begin
      ld_busy   <= 1'b0;
      ld_row    <= '0;
      loaded    <= '0;
      streaming <= 1'b0;
      drain     <= '0;
    end else begin
      if (load_start && ROWS > 1) begin
        ld_busy <= 1'b1;
        ld_row  <= ROW_BITS'(1);
      end else if (ld_busy) begin
        ld_busy <= ld_row != ROW_BITS'(ROWS - 1);
        ld_row  <= ld_row + 1'b1;
      end
      loaded <= loaded + (load_done ? 2'd1 : 2'd0) - (fold_start ? 2'd1 : 2'd0);
      if (inject && ib_last) begin
        streaming <= 1'b0;
        drain     <= DRAIN_BITS'(ROWS + COLS - 2);
      end else begin
        if (fold_start) streaming <= 1'b1;
        if (drain != '0) drain <= drain - 1'b1;
      end
    end
  end
endmodule
