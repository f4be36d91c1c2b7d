// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_dma: a small synthesizable DMA engine with an AXI4 master interface and an APB3 slave
// programming interface. It copies LEN bytes from SRC to DST as a sequence of INCR read bursts
// (64-bit data, up to 16 beats, never crossing a 4 KiB boundary), each followed by a write
// burst of the same data. Every request carries the programmed AxID, AxPROT and an AxUSER
// holding the stream identity the SMMU translates for:
//
//   AxUSER[31:0]  StreamID
//   AxUSER[51:32] SubstreamID
//   AxUSER[52]    SubstreamID valid (SSV)
//
// The first response that is not OKAY (SLVERR or DECERR, on R or on B) stops the copy: the
// engine takes the remaining beats of that burst, records the response, the burst's address and
// the direction in STATUS / ERR_ADDR, and raises DONE with ERR. BYTES_DONE counts the bytes whose
// write completed with OKAY. See docs/cosim.md for the register map.
//
// Registers (APB3, 32-bit, PREADY always 1, PSLVERR always 0; writes other than CTRL are ignored
// while BUSY):
//   0x00 CTRL       W: bit 0 START (starts a copy, clears DONE/ERR)
//   0x04 STATUS     R: bit 0 BUSY, 1 DONE, 2 ERR, [5:4] RESP of the error, 6 ERR_WRITE
//                      (the error was a write response), 7 CFG_ERR (SRC, DST or LEN not 8-byte
//                      aligned, or LEN zero: nothing issued)
//   0x08 SRC_LO  0x0C SRC_HI  0x10 DST_LO  0x14 DST_HI  0x18 LEN (bytes)
//   0x1C SID        StreamID
//   0x20 SSID       [19:0] SubstreamID, bit 31 SSV
//   0x24 ATTR       [2:0] AxPROT, [7:4] beats per burst - 1 (0..15), [11:8] AxID
//   0x28 ERR_ADDR_LO  0x2C ERR_ADDR_HI  (address of the burst that failed)
//   0x30 BYTES_DONE
//   0x34 ID         0x444D4131 ("DMA1")
// irq is high while DONE is set.
module smmu_dma #(
    parameter ID_W = 4,
    parameter USER_W = 53
) (
    input wire clk,
    input wire rst_n,
    // APB3 programming interface
    input wire psel,
    input wire penable,
    input wire pwrite,
    input wire [11:0] paddr,
    input wire [31:0] pwdata,
    output reg [31:0] prdata,
    output wire pready,
    output wire pslverr,
    output wire irq,
    // AXI4 write address channel
    output reg awvalid,
    input wire awready,
    output wire [ID_W-1:0] awid,
    output reg [63:0] awaddr,
    output reg [7:0] awlen,
    output wire [2:0] awsize,
    output wire [1:0] awburst,
    output wire [2:0] awprot,
    output wire [USER_W-1:0] awuser,
    // write data channel
    output reg wvalid,
    input wire wready,
    output wire [63:0] wdata,
    output wire [7:0] wstrb,
    output wire wlast,
    // write response channel
    input wire bvalid,
    output wire bready,
    input wire [ID_W-1:0] bid,
    input wire [1:0] bresp,
    // read address channel
    output reg arvalid,
    input wire arready,
    output wire [ID_W-1:0] arid,
    output reg [63:0] araddr,
    output reg [7:0] arlen,
    output wire [2:0] arsize,
    output wire [1:0] arburst,
    output wire [2:0] arprot,
    output wire [USER_W-1:0] aruser,
    // read data channel
    input wire rvalid,
    output wire rready,
    input wire [ID_W-1:0] rid,
    input wire [63:0] rdata,
    input wire [1:0] rresp,
    input wire rlast
);
  localparam S_IDLE = 3'd0, S_CALC = 3'd1, S_AR = 3'd2, S_R = 3'd3, S_W = 3'd4, S_B = 3'd5;

  // programmed configuration
  reg [63:0] src, dst;
  reg [31:0] len;
  reg [31:0] sid;
  reg [19:0] ssid;
  reg ssv;
  reg [2:0] prot;
  reg [3:0] burst_m1;
  reg [3:0] id;
  // status
  reg busy, done, err, err_write, cfg_err;
  reg [1:0] err_resp;
  reg [63:0] err_addr;
  reg [31:0] bytes_done;
  // engine
  reg [2:0] state;
  reg [31:0] remaining;  // bytes
  reg [4:0] beats;  // of the current burst, 1..16
  reg [4:0] rcnt, wcnt;
  reg aw_done;
  reg [63:0] buffer[0:15];

  // ---- APB ----
  assign pready = 1'b1;
  assign pslverr = 1'b0;
  assign irq = done;
  wire apb_wr = psel & penable & pwrite;

  always @(*) begin
    case (paddr[7:2])
      6'h01: prdata = {24'd0, cfg_err, err_write, err_resp, 1'b0, err, done, busy};
      6'h02: prdata = src[31:0];
      6'h03: prdata = src[63:32];
      6'h04: prdata = dst[31:0];
      6'h05: prdata = dst[63:32];
      6'h06: prdata = len;
      6'h07: prdata = sid;
      6'h08: prdata = {ssv, 11'd0, ssid};
      6'h09: prdata = {20'd0, id, burst_m1, 1'b0, prot};
      6'h0A: prdata = err_addr[31:0];
      6'h0B: prdata = err_addr[63:32];
      6'h0C: prdata = bytes_done;
      6'h0D: prdata = 32'h444D4131;
      default: prdata = 32'd0;
    endcase
  end

  // ---- AXI constant fields ----
  wire [USER_W-1:0] user = {{(USER_W - 53) {1'b0}}, ssv, ssid, sid};
  assign awid = id[ID_W-1:0];
  assign arid = id[ID_W-1:0];
  assign awsize = 3'd3;  // 8 bytes per beat
  assign arsize = 3'd3;
  assign awburst = 2'b01;  // INCR
  assign arburst = 2'b01;
  assign awprot = prot;
  assign arprot = prot;
  assign awuser = user;
  assign aruser = user;
  assign wdata = buffer[wcnt[3:0]];
  assign wstrb = 8'hFF;
  assign wlast = (wcnt == beats - 5'd1);
  assign rready = (state == S_R);
  assign bready = (state == S_B);

  // beats of the next burst: limited by the programmed burst length, the bytes left and the
  // 4 KiB boundaries of source and destination
  wire [9:0] src_room = 10'd512 - {1'b0, src[11:3]};
  wire [9:0] dst_room = 10'd512 - {1'b0, dst[11:3]};
  wire [28:0] rem_beats = remaining[31:3];
  wire [4:0] max_beats = {1'b0, burst_m1} + 5'd1;
  wire [4:0] b1 = (rem_beats < {24'd0, max_beats}) ? rem_beats[4:0] : max_beats;
  wire [4:0] b2 = ({5'd0, b1} > src_room) ? src_room[4:0] : b1;
  wire [4:0] next_beats = ({5'd0, b2} > dst_room) ? dst_room[4:0] : b2;

  wire start = apb_wr && paddr[7:2] == 6'h00 && pwdata[0] && !busy;
  wire bad_cfg = (src[2:0] != 3'd0) || (dst[2:0] != 3'd0) || (len[2:0] != 3'd0) || (len == 0);

  always @(posedge clk) begin
    if (!rst_n) begin
      src <= 64'd0;
      dst <= 64'd0;
      len <= 32'd0;
      sid <= 32'd0;
      ssid <= 20'd0;
      ssv <= 1'b0;
      prot <= 3'b010;  // unprivileged, Non-secure, data
      burst_m1 <= 4'd15;
      id <= 4'd0;
      busy <= 1'b0;
      done <= 1'b0;
      err <= 1'b0;
      err_write <= 1'b0;
      cfg_err <= 1'b0;
      err_resp <= 2'd0;
      err_addr <= 64'd0;
      bytes_done <= 32'd0;
      state <= S_IDLE;
      remaining <= 32'd0;
      beats <= 5'd0;
      rcnt <= 5'd0;
      wcnt <= 5'd0;
      aw_done <= 1'b0;
      awvalid <= 1'b0;
      awaddr <= 64'd0;
      awlen <= 8'd0;
      wvalid <= 1'b0;
      arvalid <= 1'b0;
      araddr <= 64'd0;
      arlen <= 8'd0;
    end else begin
      // programming
      if (apb_wr && !busy) begin
        case (paddr[7:2])
          6'h02: src[31:0] <= pwdata;
          6'h03: src[63:32] <= pwdata;
          6'h04: dst[31:0] <= pwdata;
          6'h05: dst[63:32] <= pwdata;
          6'h06: len <= pwdata;
          6'h07: sid <= pwdata;
          6'h08: begin
            ssid <= pwdata[19:0];
            ssv  <= pwdata[31];
          end
          6'h09: begin
            prot <= pwdata[2:0];
            burst_m1 <= pwdata[7:4];
            id <= pwdata[11:8];
          end
          default: ;
        endcase
      end
      case (state)
        S_IDLE:
        if (start) begin
          done <= 1'b0;
          err <= 1'b0;
          err_write <= 1'b0;
          err_resp <= 2'd0;
          err_addr <= 64'd0;
          bytes_done <= 32'd0;
          if (bad_cfg) begin
            cfg_err <= 1'b1;
            done <= 1'b1;
            err <= 1'b1;
          end else begin
            cfg_err <= 1'b0;
            busy <= 1'b1;
            remaining <= len;
            state <= S_CALC;
          end
        end
        S_CALC: begin
          beats <= next_beats;
          araddr <= src;
          arlen <= {3'd0, next_beats} - 8'd1;
          arvalid <= 1'b1;
          rcnt <= 5'd0;
          state <= S_AR;
        end
        S_AR:
        if (arready) begin
          arvalid <= 1'b0;
          state   <= S_R;
        end
        S_R:
        if (rvalid) begin
          buffer[rcnt[3:0]] <= rdata;
          rcnt <= rcnt + 5'd1;
          if (rresp != 2'b00 && !err) begin
            err <= 1'b1;
            err_resp <= rresp;
            err_addr <= src;
          end
          if (rlast) begin
            if (err || rresp != 2'b00) begin
              busy  <= 1'b0;
              done  <= 1'b1;
              state <= S_IDLE;
            end else begin
              awaddr <= dst;
              awlen <= {3'd0, beats} - 8'd1;
              awvalid <= 1'b1;
              aw_done <= 1'b0;
              wvalid <= 1'b1;
              wcnt <= 5'd0;
              state <= S_W;
            end
          end
        end
        S_W: begin
          if (awvalid && awready) begin
            awvalid <= 1'b0;
            aw_done <= 1'b1;
          end
          if (wvalid && wready) begin
            if (wlast) wvalid <= 1'b0;
            else wcnt <= wcnt + 5'd1;
          end
          if ((aw_done || (awvalid && awready)) && (!wvalid || (wready && wlast))) state <= S_B;
        end
        S_B:
        if (bvalid) begin
          if (bresp != 2'b00) begin
            err <= 1'b1;
            err_write <= 1'b1;
            err_resp <= bresp;
            err_addr <= dst;
            busy <= 1'b0;
            done <= 1'b1;
            state <= S_IDLE;
          end else begin
            bytes_done <= bytes_done + {24'd0, beats, 3'd0};
            src <= src + {56'd0, beats, 3'd0};
            dst <= dst + {56'd0, beats, 3'd0};
            remaining <= remaining - {24'd0, beats, 3'd0};
            if (remaining == {24'd0, beats, 3'd0}) begin
              busy  <= 1'b0;
              done  <= 1'b1;
              state <= S_IDLE;
            end else state <= S_CALC;
          end
        end
        default: state <= S_IDLE;
      endcase
    end
  end

  // unused inputs: response IDs (one transaction in flight at a time), APB address bits
  // verilator lint_off UNUSEDSIGNAL
  wire unused = &{1'b0, bid, rid, paddr[11:8], paddr[1:0]};
  // verilator lint_on UNUSEDSIGNAL
endmodule
