// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_dma: a small synthesizable DMA engine with an AXI4 master interface and an APB3 slave
// programming interface. It copies LEN bytes from SRC to DST in batches of up to 8 bursts
// (MODE.OUTST + 1, default 1) over an AXI4 data bus of DATA_W bits (64 .. 1024): all read bursts of a batch are issued back to back (IDs rotating
// over ATTR.AxID + 0 .. 2^MODE.IDS - 1, so each ID may have several reads outstanding), then
// their write bursts with the same data, then the next batch. Default bursts are INCR of
// bus-wide beats, up to 16 beats, never crossing a 4 KiB boundary; an INCR burst whose address
// is not aligned to its beat size starts with a partial beat (the first beat's lanes from the
// address on, IHI 0022 A3.4.1) and the last beat of a write carries only the bytes the slot
// holds (WSTRB), so SRC and DST need only be 8-byte aligned at every width; MODE selects narrow beats, WRAP or FIXED
// bursts, W data before its AW, and INCR bursts that deliberately cross 4 KiB. Every request
// carries AxPROT and an AxUSER holding the stream identity the SMMU translates for:
//
//   AxUSER[31:0]  StreamID
//   AxUSER[51:32] SubstreamID
//   AxUSER[52]    SubstreamID valid (SSV)
//
// The first response that is not OKAY (SLVERR or DECERR, on R or on B) stops the copy: the
// engine issues no further request, takes the remaining beats and responses of everything
// outstanding (a read error writes nothing of its batch; the writes of a batch already issued
// complete), records the response, the burst's address and the direction in STATUS / ERR_ADDR,
// and raises DONE with ERR. BYTES_DONE counts the bytes whose write completed with OKAY before
// the first error. See docs/cosim.md for the register map.
//
// Registers (APB3, 32-bit, PREADY always 1, PSLVERR always 0; writes other than CTRL are ignored
// while BUSY):
//   0x00 CTRL       W: bit 0 START (starts a copy, clears DONE/ERR)
//   0x04 STATUS     R: bit 0 BUSY, 1 DONE, 2 ERR, [5:4] RESP of the error, 6 ERR_WRITE
//                      (the error was a write response), 7 CFG_ERR (SRC, DST or LEN not 8-byte
//                      aligned, LEN zero, or a bad MODE: nothing issued)
//   0x08 SRC_LO  0x0C SRC_HI  0x10 DST_LO  0x14 DST_HI  0x18 LEN (bytes)
//   0x1C SID        StreamID
//   0x20 SSID       [19:0] SubstreamID, bit 31 SSV
//   0x24 ATTR       [2:0] AxPROT, [7:4] beats per burst - 1 (0..15), [11:8] AxID
//   0x28 ERR_ADDR_LO  0x2C ERR_ADDR_HI  (address of the burst that failed)
//   0x30 BYTES_DONE
//   0x34 ID         0x444D4131 ("DMA1")
//   0x38 MODE       [2:0] OUTST: bursts outstanding per batch - 1 (read and write)
//                   [5:4] IDS: the batch's bursts use AxID = ATTR.AxID + (slot mod 2^IDS)
//                   [9:8] NARROW: AxSIZE = log2(DATA_W / 8) - NARROW (at 64 bits: beats of
//                         8, 4, 2 or 1 bytes)
//                   [13:12] BURST: 0 INCR, 1 WRAP (ATTR beats must be 2, 4, 8 or 16 and SRC,
//                           DST, LEN multiples of the window; reads start mid-window, writes
//                           at the window's last beat, so both wrap), 2 FIXED (every burst
//                           moves one beat's bytes, repeated for ATTR beats; SRC, DST, LEN
//                           multiples of the beat size), 3 reserved (CFG_ERR)
//                   [16] WFIRST: W beats of a burst before its AW (the AW waits until that
//                        burst's WLAST, or 15 cycles without WREADY)
//                   [17] CROSS4K: INCR bursts are not split at 4 KiB (a protocol violation,
//                        for checking the checker)
//                   MODE = 0 (reset) is the engine before MODE existed.
// irq is high while DONE is set.
module smmu_dma #(
    parameter ID_W = 4,
    parameter USER_W = 53,
    parameter DATA_W = 64  // 64, 128, 256, 512 or 1024
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
    output wire [DATA_W-1:0] wdata,
    output wire [DATA_W/8-1:0] wstrb,
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
    input wire [DATA_W-1:0] rdata,
    input wire [1:0] rresp,
    input wire rlast
);
  localparam S_IDLE = 2'd0, S_CALC = 2'd1, S_RD = 2'd2, S_WR = 2'd3;
  localparam BT_INCR = 2'd0, BT_WRAP = 2'd1, BT_FIXED = 2'd2;
  localparam NB = DATA_W / 8;  // bytes (lanes) of the data bus
  localparam LB = $clog2(NB);  // AxSIZE of a bus-wide beat
  localparam SB = 16 * NB;  // bytes of a slot: 16 bus-wide beats
  localparam SBW = $clog2(SB);  // bits of a byte offset in a slot

  // programmed configuration
  reg [63:0] src, dst;
  reg [31:0] len;
  reg [31:0] sid;
  reg [19:0] ssid;
  reg ssv;
  reg [2:0] prot;
  reg [3:0] burst_m1;
  reg [3:0] id;
  reg [2:0] outst_m1;  // MODE: bursts outstanding - 1
  reg [1:0] nid_log2;  // MODE: log2 of the IDs rotated over
  reg [1:0] narrow;  // MODE: AxSIZE = 3 - narrow
  reg [1:0] btype;  // MODE: BT_*
  reg wfirst, cross4k;  // MODE
  // status
  reg busy, done, err, err_write, cfg_err;
  reg [1:0] err_resp;
  reg [63:0] err_addr;
  reg [31:0] bytes_done;
  // engine: a batch of up to 8 bursts (slots), all read, then all written
  reg [1:0] state;
  reg [31:0] remaining;  // bytes not yet given to a slot
  reg [63:0] sl_src[0:7], sl_dst[0:7];
  reg [4:0] sl_rbeats[0:7], sl_wbeats[0:7];  // beats of the read and of the write burst
  reg [SBW:0] sl_bytes[0:7];  // bytes the slot moves
  reg [3:0] nslot, ar_ptr, r_done, aw_ptr, w_ptr, b_cnt;
  reg [4:0] wcnt;
  reg [3:0] wstall;  // cycles W has waited for WREADY (W-first mode)
  reg [3:0] r_bursts[0:7], b_bursts[0:7];  // per ID offset: bursts answered
  reg [4:0] r_beat[0:7];  // per ID offset: beat of the burst in progress
  reg [3:0] arid_q, awid_q;
  reg [7:0] buffer[0:8*SB-1];  // {slot, byte offset from the slot's SRC / DST}
  integer i;

  // ---- APB ----
  assign pready = 1'b1;
  assign pslverr = 1'b0;
  assign irq = done;
  wire apb_wr = psel & penable & pwrite;
  wire [31:0] mode_rd = {
    14'd0, cross4k, wfirst, 2'd0, btype, 2'd0, narrow, 2'd0, nid_log2, 1'b0, outst_m1
  };

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
      6'h0E: prdata = mode_rd;
      default: prdata = 32'd0;
    endcase
  end

  // Byte offset, from its slot's first byte, of beat j of a burst of the slot's nb bytes, beats
  // of 2^sz bytes, starting lo bytes into its first beat: INCR steps by the beat size from the
  // aligned start (IHI 0022 A3.4.1), WRAP starts `first` bytes into its window and wraps at the
  // window's end, FIXED repeats the first beat.
  function automatic [SBW:0] beat_off(input [1:0] bt, input [2:0] sz, input [SBW:0] lo,
                                      input [SBW:0] nb, input [SBW:0] first, input [4:0] j);
    reg [SBW:0] step;
    begin
      step = {{(SBW - 4) {1'b0}}, j} << sz;
      case (bt)
        BT_WRAP: beat_off = (first + step) & (nb - 1'b1);
        BT_FIXED: beat_off = 0;
        default: beat_off = (j == 5'd0) ? 0 : step - lo;
      endcase
    end
  endfunction

  // The slot's byte on lane l of a beat at slot offset off whose first lane is lo.
  function automatic [SBW:0] lane_k(input [SBW:0] off, input [LB-1:0] l, input [LB-1:0] lo);
    begin
      lane_k = off + {{(SBW + 1 - LB) {1'b0}}, l} - {{(SBW + 1 - LB) {1'b0}}, lo};
    end
  endfunction
  function automatic [SBW-1:0] lane_k_lo(input [SBW:0] off, input [LB-1:0] l, input [LB-1:0] lo);
    // verilator lint_off UNUSEDSIGNAL
    reg [SBW:0] k;
    // verilator lint_on UNUSEDSIGNAL
    begin
      k = lane_k(off, l, lo);
      lane_k_lo = k[SBW-1:0];
    end
  endfunction

  // ---- AXI constant fields ----
  wire [2:0] size = LB[2:0] - {1'b0, narrow};
  wire [1:0] axburst = (btype == BT_WRAP) ? 2'b10 : (btype == BT_FIXED) ? 2'b00 : 2'b01;
  wire [2:0] nid_mask = (3'd1 << nid_log2) - 3'd1;
  wire [USER_W-1:0] user = {{(USER_W - 53) {1'b0}}, ssv, ssid, sid};
  assign awid = awid_q[ID_W-1:0];
  assign arid = arid_q[ID_W-1:0];
  assign awsize = size;
  assign arsize = size;
  assign awburst = axburst;
  assign arburst = axburst;
  assign awprot = prot;
  assign arprot = prot;
  assign awuser = user;
  assign aruser = user;
  assign rready = (state == S_RD);
  assign bready = (state == S_WR);

  // W: beat wcnt of slot w_ptr; lane L carries the slot's byte w_off + L - (first lane)
  wire [2:0] w_slot = w_ptr[2:0];
  // WRAP: reads start mid-window, writes at the window's last beat, so both wrap and the
  // buffer holds every byte at its place whatever the beat order
  wire [SBW:0] unit = {{SBW{1'b0}}, 1'b1} << size;
  wire [SBW:0] w_first = sl_bytes[w_slot] - unit;
  wire [SBW:0] w_lo = sl_dst[w_slot][SBW:0] & (unit - 1'b1);
  wire [SBW:0] w_off = beat_off(btype, size, w_lo, sl_bytes[w_slot], w_first, wcnt);
  wire [63:0] w_addr = sl_dst[w_slot] + {{(63 - SBW) {1'b0}}, w_off};
  reg [DATA_W-1:0] wdata_r;
  reg [NB-1:0] wstrb_r;
  integer L;
  reg [SBW:0] k;
  always @(*) begin
    for (L = 0; L < NB; L = L + 1) begin
      k = lane_k(w_off, L[LB-1:0], w_addr[LB-1:0]);
      wstrb_r[L] = L[LB-1:0] >= w_addr[LB-1:0] && L[LB-1:0] <= (w_addr[LB-1:0] | unit[LB-1:0] - 1'b1)
          && k < sl_bytes[w_slot];
      wdata_r[8*L+:8] = wstrb_r[L] ? buffer[{w_slot, k[SBW-1:0]}] : 8'd0;
    end
  end
  assign wdata = wdata_r;
  assign wstrb = wstrb_r;
  assign wlast = (wcnt == sl_wbeats[w_slot] - 5'd1);

  // R: the ID offset k = rid - ATTR.AxID names the slot k + 2^nid_log2 * (bursts of ID k so far)
  wire [2:0] r_k = rid[2:0] - id[2:0];
  wire [2:0] r_ki = r_k & nid_mask;
  wire [3:0] r_slot4 = {1'b0, r_ki} + (r_bursts[r_ki] << nid_log2);
  wire [2:0] r_slot = r_slot4[2:0];
  wire [4:0] r_j = r_beat[r_ki];
  wire [SBW:0] r_first = {1'b0, sl_bytes[r_slot][SBW:1]};
  wire [SBW:0] r_lo = sl_src[r_slot][SBW:0] & (unit - 1'b1);
  wire [SBW:0] r_off = beat_off(btype, size, r_lo, sl_bytes[r_slot], r_first, r_j);
  wire [63:0] r_addr = sl_src[r_slot] + {{(63 - SBW) {1'b0}}, r_off};
  // B: the same mapping by bid
  wire [2:0] b_ki = (bid[2:0] - id[2:0]) & nid_mask;
  wire [3:0] b_slot4 = {1'b0, b_ki} + (b_bursts[b_ki] << nid_log2);
  wire [2:0] b_slot = b_slot4[2:0];

  // next slot: INCR moves the bytes left, at most 16 beats' worth from the later-starting of
  // source and destination within their first beat and (unless CROSS4K) up to the 4 KiB
  // boundaries of source and destination; WRAP a window, FIXED one beat's bytes
  wire [4:0] max_beats = {1'b0, burst_m1} + 5'd1;
  wire [31:0] unit32 = 32'd1 << size;
  wire [31:0] lo_s = src[31:0] & (unit32 - 1), lo_d = dst[31:0] & (unit32 - 1);
  wire [31:0] span = ({27'd0, max_beats} << size) - ((lo_s > lo_d) ? lo_s : lo_d);
  wire [31:0] src_room = 32'd4096 - {20'd0, src[11:0]};
  wire [31:0] dst_room = 32'd4096 - {20'd0, dst[11:0]};
  wire [31:0] n1 = (remaining < span) ? remaining : span;
  wire [31:0] n2 = (!cross4k && n1 > src_room) ? src_room : n1;
  wire [31:0] n3 = (!cross4k && n2 > dst_room) ? dst_room : n2;
  wire [31:0] win = {27'd0, max_beats} << size;
  wire [31:0] next_bytes = (btype == BT_FIXED) ? unit32 : (btype == BT_WRAP) ? win : n3;
  wire [31:0] r_units = (lo_s + next_bytes + unit32 - 1) >> size;
  wire [31:0] w_units = (lo_d + next_bytes + unit32 - 1) >> size;
  wire [4:0] next_rbeats = (btype == BT_INCR) ? r_units[4:0] : max_beats;
  wire [4:0] next_wbeats = (btype == BT_INCR) ? w_units[4:0] : max_beats;
  // WRAP: 2, 4, 8 or 16 beats; source, destination and length aligned to the window (so to the
  // beat); FIXED: aligned to the beat
  wire [31:0] win_m1 = (btype == BT_WRAP) ? win - 1 : unit32 - 1;
  wire wrap_bad = btype == BT_WRAP && max_beats != 5'd2 && max_beats != 5'd4 &&
      max_beats != 5'd8 && max_beats != 5'd16;
  wire align_bad = btype != BT_INCR && (((src[31:0] & win_m1) != 0) ||
      ((dst[31:0] & win_m1) != 0) || ((len & win_m1) != 0));

  wire start = apb_wr && paddr[7:2] == 6'h00 && pwdata[0] && !busy;
  wire bad_cfg = (src[2:0] != 3'd0) || (dst[2:0] != 3'd0) || (len[2:0] != 3'd0) || (len == 0) ||
      (btype == 2'd3) || wrap_bad || align_bad;

  // WRAP AxADDR: the first beat's address (see w_first / r_first)
  wire [63:0] ar_addr_next = sl_src[ar_ptr[2:0]] +
      ((btype == BT_WRAP) ? {{(64 - SBW) {1'b0}}, sl_bytes[ar_ptr[2:0]][SBW:1]} : 64'd0);
  wire [63:0] aw_addr_next = sl_dst[aw_ptr[2:0]] +
      ((btype == BT_WRAP) ? {{(63 - SBW) {1'b0}}, sl_bytes[aw_ptr[2:0]] - unit} : 64'd0);
  // W-first: an AW waits until its W burst went through, or W waited 15 cycles (a slave may
  // hold WREADY until it sees AWVALID, IHI 0022 A3.3.1)
  wire aw_may = !wfirst || (w_ptr > aw_ptr) || (wstall == 4'd15);

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
      outst_m1 <= 3'd0;
      nid_log2 <= 2'd0;
      narrow <= 2'd0;
      btype <= BT_INCR;
      wfirst <= 1'b0;
      cross4k <= 1'b0;
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
      nslot <= 4'd0;
      ar_ptr <= 4'd0;
      r_done <= 4'd0;
      aw_ptr <= 4'd0;
      w_ptr <= 4'd0;
      b_cnt <= 4'd0;
      wcnt <= 5'd0;
      wstall <= 4'd0;
      for (i = 0; i < 8; i = i + 1) begin
        r_bursts[i] <= 4'd0;
        b_bursts[i] <= 4'd0;
        r_beat[i] <= 5'd0;
      end
      arid_q <= 4'd0;
      awid_q <= 4'd0;
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
          6'h0E: begin
            outst_m1 <= pwdata[2:0];
            nid_log2 <= pwdata[5:4];
            narrow <= pwdata[9:8];
            btype <= pwdata[13:12];
            wfirst <= pwdata[16];
            cross4k <= pwdata[17];
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
            nslot <= 4'd0;
            state <= S_CALC;
          end
        end
        // one slot per cycle until the batch is full or the copy fully handed out
        S_CALC:
        if (nslot <= {1'b0, outst_m1} && remaining != 32'd0) begin
          sl_src[nslot[2:0]] <= src;
          sl_dst[nslot[2:0]] <= dst;
          sl_rbeats[nslot[2:0]] <= next_rbeats;
          sl_wbeats[nslot[2:0]] <= next_wbeats;
          sl_bytes[nslot[2:0]] <= next_bytes[SBW:0];
          src <= src + {32'd0, next_bytes};
          dst <= dst + {32'd0, next_bytes};
          remaining <= remaining - next_bytes;
          nslot <= nslot + 4'd1;
        end else begin
          ar_ptr <= 4'd0;
          r_done <= 4'd0;
          for (i = 0; i < 8; i = i + 1) begin
            r_bursts[i] <= 4'd0;
            r_beat[i] <= 5'd0;
          end
          state <= S_RD;
        end
        // all ARs of the batch back to back (IDs rotating), R taken as it comes
        S_RD: begin
          if (arvalid && arready) begin
            arvalid <= 1'b0;
            ar_ptr  <= ar_ptr + 4'd1;
          end else if (!arvalid && ar_ptr < nslot && !err) begin
            araddr <= ar_addr_next;
            arlen <= {3'd0, sl_rbeats[ar_ptr[2:0]]} - 8'd1;
            arid_q <= id + {1'b0, ar_ptr[2:0] & nid_mask};
            arvalid <= 1'b1;
          end
          if (rvalid) begin
            // lane L of the beat holds the slot's byte r_off + L - (first lane)
            for (i = 0; i < NB; i = i + 1) begin
              if (i[LB-1:0] >= r_addr[LB-1:0] &&
                  i[LB-1:0] <= (r_addr[LB-1:0] | unit[LB-1:0] - 1'b1) &&
                  lane_k(r_off, i[LB-1:0], r_addr[LB-1:0]) < sl_bytes[r_slot])
                buffer[{r_slot, lane_k_lo(r_off, i[LB-1:0], r_addr[LB-1:0])}] <= rdata[8*i+:8];
            end
            r_beat[r_ki] <= r_j + 5'd1;
            if (rresp != 2'b00 && !err) begin
              err <= 1'b1;
              err_resp <= rresp;
              err_addr <= sl_src[r_slot];
            end
            if (rlast) begin
              r_beat[r_ki] <= 5'd0;
              r_bursts[r_ki] <= r_bursts[r_ki] + 4'd1;
              r_done <= r_done + 4'd1;
            end
          end
          // every issued read answered, nothing more to issue
          if (!arvalid && (ar_ptr == nslot || err) && r_done == ar_ptr) begin
            if (err) begin
              busy  <= 1'b0;
              done  <= 1'b1;
              state <= S_IDLE;
            end else begin
              aw_ptr <= 4'd0;
              w_ptr <= 4'd0;
              wcnt <= 5'd0;
              wstall <= 4'd0;
              b_cnt <= 4'd0;
              for (i = 0; i < 8; i = i + 1) b_bursts[i] <= 4'd0;
              wvalid <= 1'b1;
              state  <= S_WR;
            end
          end
        end
        // all AWs and W bursts of the batch, then every B
        S_WR: begin
          if (awvalid && awready) begin
            awvalid <= 1'b0;
            aw_ptr  <= aw_ptr + 4'd1;
          end else if (!awvalid && aw_ptr < nslot && aw_may) begin
            awaddr <= aw_addr_next;
            awlen <= {3'd0, sl_wbeats[aw_ptr[2:0]]} - 8'd1;
            awid_q <= id + {1'b0, aw_ptr[2:0] & nid_mask};
            awvalid <= 1'b1;
          end
          if (wvalid && wready) begin
            wstall <= 4'd0;
            if (wlast) begin
              wcnt  <= 5'd0;
              w_ptr <= w_ptr + 4'd1;
              if (w_ptr + 4'd1 == nslot) wvalid <= 1'b0;
            end else wcnt <= wcnt + 5'd1;
          end else if (wvalid && wstall != 4'd15) wstall <= wstall + 4'd1;
          if (bvalid) begin
            b_bursts[b_ki] <= b_bursts[b_ki] + 4'd1;
            b_cnt <= b_cnt + 4'd1;
            if (bresp != 2'b00 && !err) begin
              err <= 1'b1;
              err_write <= 1'b1;
              err_resp <= bresp;
              err_addr <= sl_dst[b_slot];
            end else if (bresp == 2'b00 && !err)
              bytes_done <= bytes_done + {{(31 - SBW) {1'b0}}, sl_bytes[b_slot]};
          end
          if (b_cnt == nslot) begin
            nslot <= 4'd0;
            if (err || remaining == 32'd0) begin
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

  // unused inputs: ID bits above the rotation, APB address bits
  // verilator lint_off UNUSEDSIGNAL
  wire unused = &{1'b0, bid, rid, paddr[11:8], paddr[1:0], r_slot4[3], b_slot4[3], r_units[31:5],
                  w_units[31:5], w_addr[63:LB], r_addr[63:LB]};
  // verilator lint_on UNUSEDSIGNAL
endmodule
